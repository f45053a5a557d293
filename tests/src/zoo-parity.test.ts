import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkModels, compareRunners, createSession, exportOnnx } from '@netspec/backend-onnx';
import { buildModel, saveWeights, tfjsRunner, useEngine } from '@netspec/backend-tfjs';
import type { RunnerTensor } from '@netspec/spec';
import { buildPreset, PRESETS, type PresetName } from '@netspec/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputsFor } from './preset-inputs.js';

// Every zoo preset, exported with seeded weights, passes the official ONNX checker and runs on
// onnxruntime-node and onnxruntime-web with tfjs's outputs (|a - b| <= 1e-4 * max(1, |b|),
// DESIGN.md). The largest, gpt2 and bert-base, hold ~500 MB of weights four times at once (tfjs,
// the export's bytes, both sessions): 4.2 GB at the peak, within CI's 24 GiB. Each export is
// deleted once checked, so the disk holds one at a time.

/**
 * A preset's spec; the VAEs with `inference: 'mean'`, since ONNX draws from onnxruntime's own
 * generator (tests/src/known-gaps.ts): values can only match with z = zMean, and every other layer
 * is compared.
 */
const specOf = (name: PresetName) =>
  buildPreset(name, name.includes('vae') ? { inference: 'mean' } : {});

/** The index of the largest value along the last axis, for every leading position. */
function argmaxLast(t: RunnerTensor): number[] {
  const n = t.shape.at(-1) as number;
  const ids: number[] = [];
  for (let row = 0; row < t.data.length / n; row++) {
    let best = 0;
    for (let k = 1; k < n; k++)
      if ((t.data[row * n + k] as number) > (t.data[row * n + best] as number)) best = k;
    ids.push(best);
  }
  return ids;
}

const dir = mkdtempSync(join(tmpdir(), 'netspec-zoo-'));

describe('zoo presets: tfjs vs onnxruntime', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const p of PRESETS) {
    it(`${p.name}: the ONNX checker, then parity`, async () => {
      const model = buildModel(specOf(p.name), { seed: 1 });
      const bytes = exportOnnx(model.resolved, saveWeights(model));
      const path = join(dir, `${p.name}.onnx`);
      writeFileSync(path, bytes);
      expect(checkModels([path])).toEqual({ [path]: null });
      rmSync(path);
      const feeds = inputsFor(model.resolved);
      const onnx = [await createSession(bytes), await createSession(bytes, { engine: 'ort-web' })];
      const tfjs = tfjsRunner(model);
      try {
        const report = await compareRunners(tfjs, onnx, feeds);
        expect(report.pass, report.table).toBe(true);
        if (model.resolved.spec.training?.recipe?.type === 'causalLm') {
          // Generators: the greedy next token at every position is identical on every engine.
          const greedy = async (r: typeof tfjs) =>
            argmaxLast(Object.values(await r.run(feeds))[0] as RunnerTensor);
          const reference = await greedy(tfjs);
          for (const r of onnx) expect(await greedy(r)).toEqual(reference);
        }
      } finally {
        for (const r of [...onnx, tfjs]) await r.dispose();
      }
    }, 300_000);
  }
});
