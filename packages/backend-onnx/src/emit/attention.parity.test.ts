import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, Rng, saveWeights, tf, useEngine } from '@netspec/backend-tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkModels } from '../checker.js';
import { exportOnnx } from '../export.js';
import { CPU_TOLERANCE as TOLERANCE } from '../parity/compare.js';
import { createSession } from '../session/create.js';
import type { RunnerTensor } from '../session/runner.js';
import {
  ATTENTION_CASES,
  type AttentionCase,
  type AttentionInput,
} from '../test-utils/cases/attention.js';
import { parityError } from '../test-utils/parity.js';

const dir = mkdtempSync(join(tmpdir(), 'netspec-onnx-attention-'));
const exported = new Map<string, string>();

beforeAll(async () => {
  await useEngine('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Seeded inputs: uniform in [-2, 2), ids in [0, maxId), or 0/1 masks with key 0 visible. */
function inputOf(i: AttentionInput, shape: number[], rng: Rng): RunnerTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const last = shape.at(-1) as number;
  const draw = (k: number): number => {
    if (i.mask) return k % last === 0 || rng.next() < 0.6 ? 1 : 0;
    if (i.dtype === 'int32') return Math.floor(rng.next() * (i.maxId ?? 2));
    return rng.next() * 4 - 2;
  };
  const values = Array.from({ length: size }, (_, k) => draw(k));
  const data = i.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
  return { data, shape };
}

const specOf = (c: AttentionCase) => ({
  specVersion: 1,
  name: c.name.replace(/[^A-Za-z0-9_.-]/g, '_'),
  inputs: c.inputs.map((i) => ({ id: i.id, shape: i.shape, dtype: i.dtype ?? 'float32' })),
  layers: [c.layer],
});

describe('attention family: tfjs vs onnxruntime-node and -web', () => {
  it.each(ATTENTION_CASES)('$name', async (c) => {
    const seed = 7;
    const model = buildModel(specOf(c), { seed });
    const bytes = exportOnnx(model.resolved, saveWeights(model), { opset: c.opset ?? 17 });
    const path = join(dir, `${exported.size}.onnx`);
    writeFileSync(path, bytes);
    exported.set(path, c.name);
    const runners = await Promise.all(
      (['ort-node', 'ort-web'] as const).map((engine) => createSession(bytes, { engine })),
    );
    const rng = new Rng(seed + 1);
    const runs = (c.inputs[0] as AttentionInput).runs.length;
    for (let r = 0; r < runs; r++) {
      const feeds = Object.fromEntries(
        c.inputs.map((i) => [i.id, inputOf(i, i.runs[r] as number[], rng)]),
      );
      const tensors = Object.fromEntries(
        c.inputs.map((i) => {
          const x = feeds[i.id] as RunnerTensor;
          return [i.id, tf.tensor(x.data, x.shape, i.dtype ?? 'float32')];
        }),
      );
      const [y] = model.predict(tensors);
      const out = y as tf.Tensor;
      const tfjs = { data: out.dataSync() as Float32Array, shape: out.shape };
      tf.dispose([out, ...Object.values(tensors)]);
      for (const runner of runners) {
        const result = await runner.run(feeds);
        const got = result[runner.outputNames[0] as string] as RunnerTensor;
        expect(got.shape, `run ${r}`).toEqual(tfjs.shape);
        expect(parityError(got, tfjs), `run ${r}`).toBeLessThanOrEqual(TOLERANCE);
      }
    }
    for (const runner of runners) await runner.dispose();
  });

  it('every model passes onnx.checker.check_model(full_check=True) at opset 17', () => {
    expect(exported.size).toBe(ATTENTION_CASES.length);
    const failures = Object.entries(checkModels([...exported.keys()]))
      .filter(([, error]) => error !== null)
      .map(([path, error]) => `${exported.get(path)}: ${error}`);
    expect(failures).toEqual([]);
  });
});
