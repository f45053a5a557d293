import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CPU_TOLERANCE,
  createSession,
  exportOnnx,
  GPU_TOLERANCE,
  tensorError,
  withinTolerance,
} from '@netspec/backend-onnx';
import { buildModel, Rng, saveWeights, useEngine } from '@netspec/backend-tfjs';
import type { RunnerTensor } from '@netspec/spec';
import { buildPreset, type PresetName } from '@netspec/zoo';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from '../../demo/harness.js';
import { type BrowserSetup, chromiumProblem, startBrowser } from './chromium.js';
import { WEBGPU_CPU_OPS } from './webgpu-gaps.js';

// The small zoo presets, exported with seeded weights, run in Chromium on onnxruntime-web's
// wasm and WebGPU providers and match onnxruntime-node (DESIGN.md's bars: 1e-4 * max(1, |b|) on
// wasm, 1e-3 * max(1, |b|) on WebGPU). The nodes WebGPU leaves to the CPU are printed per model.

// Every small preset (the VAEs with `inference: 'mean'`, since onnxruntime-web and -node draw
// different random numbers, tests/src/known-gaps.ts); the big ones (resnet18-50, gpt-micro and up, bert-mini and up) are
// covered by tests/src/zoo-parity.test.ts on onnxruntime-node and -web in Node.
const MODELS: PresetName[] = [
  'lenet5',
  'mnist-convnet',
  'resnet20',
  'lstm-classifier',
  'lstm-forecaster',
  'dcgan-mnist',
  'vae-mnist',
  'conv-vae-mnist',
  'autoencoder-mnist',
  'denoising-autoencoder-mnist',
  'vit-tiny-mnist',
  'wavenet-small',
  'gpt-nano',
  'bert-tiny',
];
const BARS = { wasm: CPU_TOLERANCE, webgpu: GPU_TOLERANCE } as const;

type Feeds = Record<string, { data: number[]; int: boolean; shape: number[] }>;
interface PageResult {
  provider: string;
  fallback?: string;
  cpuNodes: { op: string; name: string }[];
  placement: { executionProvider: string; count: number }[];
  ms: number;
  outputs: Record<string, RunnerTensor & { data: number[] }>;
}

const problem = chromiumProblem();
if (problem) console.warn(`\n${'!'.repeat(100)}\n${problem}\n${'!'.repeat(100)}\n`);

const dir = mkdtempSync(join(tmpdir(), 'netspec-browser-'));
let setup: BrowserSetup;
// One page for every model: onnxruntime-web starts once.
let page: Page;
let errors: string[];

describe.skipIf(problem !== undefined)('zoo presets in Chromium: onnxruntime-web vs -node', () => {
  beforeAll(async () => {
    await useEngine('wasm');
    setup = await startBrowser({ extraDir: dir });
    ({ page, errors } = await setup.open('/harness.html'));
    await page.waitForSelector('body[data-ready]', { state: 'attached' });
  });
  afterAll(async () => {
    await setup?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(MODELS)('%s', async (name) => {
    const model = buildModel(buildPreset(name, name.includes('vae') ? { inference: 'mean' } : {}), {
      seed: 1,
    });
    const bytes = exportOnnx(model.resolved, saveWeights(model));
    const path = join(dir, `${name}.onnx`);
    writeFileSync(path, bytes);
    const rng = new Rng(7);
    const feeds: Feeds = {};
    for (const t of model.resolved.inputs) {
      const shape = [1, ...t.shape.map((d) => d ?? 8)];
      const n = shape.reduce((a, b) => a * b, 1);
      const int = t.dtype === 'int32';
      feeds[t.name] = {
        data: Array.from({ length: n }, () => (int ? rng.int(2) : rng.next())),
        int,
        shape,
      };
    }
    model.dispose();
    const node = await createSession(bytes);
    const expected = await node.run(
      Object.fromEntries(
        Object.entries(feeds).map(([k, t]) => [
          k,
          { data: t.int ? Int32Array.from(t.data) : Float32Array.from(t.data), shape: t.shape },
        ]),
      ),
    );
    await node.dispose();

    const lines: string[] = [];
    for (const provider of ['wasm', 'webgpu'] as const) {
      const got = (await page.evaluate(
        ([url, p, f]) => (window as unknown as { netspec: Harness }).netspec.run(url, p, f),
        [`/@fs${path}`, provider, feeds] as const,
      )) as PageResult;
      // WebGPU must really run: a silent fallback to wasm would test wasm twice.
      expect(got.provider, got.fallback).toBe(provider);
      // The placement log was read (it is how CPU fallbacks are found).
      expect(got.placement.length).toBeGreaterThan(0);
      for (const [out, ref] of Object.entries(expected)) {
        const e = tensorError(
          {
            data: Float32Array.from(got.outputs[out]?.data ?? []),
            shape: got.outputs[out]?.shape ?? [],
          },
          {
            data: Float32Array.from(ref.data),
            shape: ref.shape,
          },
        );
        lines.push(
          `${name} ${provider} ${out}: max abs ${e.maxAbs.toExponential(2)}, max rel ${e.maxRel.toExponential(2)} (bar ${BARS[provider]})`,
        );
        expect(withinTolerance(e, BARS[provider]), lines.at(-1)).toBe(true);
      }
      if (provider === 'webgpu') {
        const unknown = got.cpuNodes.filter((n) => !WEBGPU_CPU_OPS[n.op]);
        const news = unknown.map((n) => `${n.op} (${n.name})`).join(', ');
        expect(
          unknown,
          `new WebGPU fallbacks, list them in webgpu-gaps.ts with why: ${news}`,
        ).toEqual([]);
        const cpu = got.cpuNodes.map((n) => `${n.op} (${n.name})`).join(', ') || 'none';
        lines.push(`${name} webgpu: ${got.ms.toFixed(1)} ms per run; nodes on the CPU: ${cpu}`);
      } else lines.push(`${name} wasm: ${got.ms.toFixed(1)} ms per run`);
    }
    expect(errors).toEqual([]);
    console.log(lines.join('\n'));
  });
});
