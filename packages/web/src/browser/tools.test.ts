import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSession,
  exportOnnx,
  exportOnnxWithExternalData,
  ortScorer,
} from '@netspec/backend-onnx';
import { buildModel, saveWeights, useEngine } from '@netspec/backend-tfjs';
import { generate, lenet5 } from '@netspec/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../demo/harness.js';
import { randomInputs } from '../../demo/inspect.js';
import { summarizeOnnx } from '../onnx-summary.js';
import { type BrowserSetup, chromiumProblem, startBrowser } from './chromium.js';

// The demo's other two parts in Chromium: the .onnx inspector (a model with external data, run
// on its random inputs) and the GPT with its KV cache (greedy text must be onnxruntime-node's, id
// for id, through the same generate() loop; the window slides past 64 characters).

const PUBLIC = fileURLToPath(new URL('../../demo/public/', import.meta.url));
const problem = chromiumProblem();
if (problem) console.warn(`\n${'!'.repeat(100)}\n${problem}\n${'!'.repeat(100)}\n`);

const dir = mkdtempSync(join(tmpdir(), 'netspec-tools-'));
let setup: BrowserSetup;

describe.skipIf(problem !== undefined)('the demo’s inspector and GPT in Chromium', () => {
  beforeAll(async () => {
    await useEngine('wasm');
    setup = await startBrowser();
  });
  afterAll(async () => {
    await setup?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarizes and runs a model whose weights are external data', async () => {
    const model = buildModel(lenet5(), { seed: 3 });
    const weights = saveWeights(model);
    const exported = exportOnnxWithExternalData(model.resolved, weights, {
      externalData: { location: 'lenet5.onnx.data' },
    });
    writeFileSync(join(dir, 'lenet5.onnx'), exported.model);
    writeFileSync(join(dir, 'lenet5.onnx.data'), exported.data);
    // The reference: the same weights embedded, on onnxruntime-node, with the inputs the page draws.
    const node = await createSession(exportOnnx(model.resolved, weights));
    model.dispose();
    const feeds = randomInputs(summarizeOnnx(exported.model).inputs);
    const expected = (await node.run(feeds)).probs?.data as Float32Array;
    await node.dispose();

    const { page, errors } = await setup.open('/');
    await page.setInputFiles('#model-files', [
      join(dir, 'lenet5.onnx'),
      join(dir, 'lenet5.onnx.data'),
    ]);
    await page.waitForSelector('#run-model:not([disabled])');
    const summary = (await page.locator('#summary').textContent()) ?? '';
    expect(summary).toMatch(/image: float32\[\w+, 28, 28, 1\]/);
    expect(summary).toMatch(/external data: lenet5\.onnx\.data/);
    expect(summary).toMatch(/Conv 2/);
    await page.click('#run-model');
    await page.waitForFunction(() => document.getElementById('run-output')?.textContent);
    const text = (await page.locator('#run-output').textContent()) ?? '';
    const shown = text
      .replace(/^probs \[1, 10\]: /, '')
      .split(', ')
      .map(Number);
    expect(shown).toHaveLength(10);
    for (const [i, v] of shown.entries()) {
      // Shown to 5 decimals.
      expect(Math.abs(v - (expected[i] as number))).toBeLessThanOrEqual(1e-4 + 5e-6);
    }
    expect(await page.locator('#inspect-status').textContent()).toMatch(/ms per run/);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('streams the same greedy text as onnxruntime-node', async () => {
    const vocab = JSON.parse(readFileSync(join(PUBLIC, 'gpt-moby-dick.json'), 'utf8')) as {
      chars: string[];
      contextLength: number;
    };
    const prompt = 'Call me Ishmael. ';
    const length = 80;
    const ids = [...prompt].map((c) => vocab.chars.indexOf(c));
    const scorer = await ortScorer(readFileSync(join(PUBLIC, 'gpt-moby-dick.onnx')));
    const result = await generate(scorer, ids, { maxNewTokens: length, temperature: 0 });
    await scorer.dispose();
    const expected = [...ids, ...result.ids].map((i) => vocab.chars[i]).join('');

    const { page, errors } = await setup.open('/');
    // wasm: WebGPU on SwiftShader compiles shaders for every new sequence length (seconds each).
    await page.selectOption('#provider', 'wasm');
    await page.waitForFunction(() =>
      document.getElementById('text-status')?.textContent?.startsWith('runs on wasm'),
    );
    await page.fill('#prompt', prompt);
    await page.fill('#temperature', '0');
    await page.fill('#length', String(length));
    await page.click('#generate');
    await page.waitForSelector('#generated[data-done]', { state: 'attached' });
    const status = (await page.locator('#text-status').textContent()) ?? '';
    console.log(`gpt: ${status.replace(/\n/g, '; ')}`);
    expect(await page.locator('#generated').textContent()).toBe(expected);
    expect(status).toMatch(/^runs on wasm, \d+\.\d ms per run$/);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('falls back to wasm, saying why, where the browser has no WebGPU', async () => {
    const plain = await startBrowser({ webgpu: false });
    try {
      const { page, errors } = await plain.open('/harness.html');
      await page.waitForSelector('body[data-ready]', { state: 'attached' });
      const image = {
        data: Array.from({ length: 784 }, () => 0.5),
        int: false,
        shape: [1, 28, 28, 1],
      };
      const got = await page.evaluate(
        (f) => (window as unknown as { netspec: Harness }).netspec.run('/lenet5.onnx', 'webgpu', f),
        { image },
      );
      expect(got.provider).toBe('wasm');
      expect(got.fallback).toMatch(/navigator\.gpu/);
      console.log(`without WebGPU: ${got.fallback}`);
      expect(got.outputs.probs?.data).toHaveLength(10);
      expect(errors).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
