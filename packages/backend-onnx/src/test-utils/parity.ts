// Test support: one spec through tfjs and through the ONNX export on both onnxruntime engines.
import { buildModel, Rng, saveWeights, tf } from '@netspec/backend-tfjs';
import type { LayerInput } from '@netspec/spec';
import { exportOnnx } from '../export.js';
import { createSession, type OnnxEngine } from '../session/create.js';
import type { RunnerTensor } from '../session/runner.js';

export interface ParityCase {
  name: string;
  layer: LayerInput;
  /** Layers between the input `x` and `layer` (a tied layer needs the one it reuses). */
  before?: LayerInput[];
  /** The spec input's shape (null: free) and the shape fed at run time, batch first. */
  input: { shape: (number | null)[]; dtype?: 'float32' | 'int32'; run: number[]; maxId?: number };
  opset?: number;
}

export const specOf = (c: ParityCase) => ({
  specVersion: 1,
  name: c.name.replace(/[^A-Za-z0-9_.-]/g, '_'),
  inputs: [{ id: 'x', shape: c.input.shape, dtype: c.input.dtype ?? 'float32' }],
  layers: [...(c.before ?? []), c.layer],
});

/** Seeded inputs: uniform in [-2, 2), or ids in [0, maxId). */
function inputOf(c: ParityCase, seed: number): RunnerTensor {
  const rng = new Rng(seed);
  const size = c.input.run.reduce((a, b) => a * b, 1);
  const data =
    c.input.dtype === 'int32'
      ? Int32Array.from({ length: size }, () => Math.floor(rng.next() * (c.input.maxId ?? 2)))
      : Float32Array.from({ length: size }, () => rng.next() * 4 - 2);
  return { data, shape: c.input.run };
}

/** Max of |a - b| / max(1, |b|) over elements; Infinity when shapes differ. */
export function parityError(a: RunnerTensor, b: RunnerTensor): number {
  if (a.shape.join() !== b.shape.join()) return Number.POSITIVE_INFINITY;
  let worst = 0;
  b.data.forEach((ref, i) => {
    const v = a.data[i] as number;
    worst = Math.max(worst, Math.abs(v - ref) / Math.max(1, Math.abs(ref)));
  });
  return worst;
}

export interface ParityRun {
  bytes: Uint8Array;
  tfjs: RunnerTensor;
  onnx: Record<OnnxEngine, RunnerTensor>;
}

/** Builds the case on tfjs (seeded weights), exports it, and runs all three engines. */
export async function runParity(c: ParityCase, seed = 7): Promise<ParityRun> {
  const model = buildModel(specOf(c), { seed });
  const bytes = exportOnnx(model.resolved, saveWeights(model), { opset: c.opset ?? 17 });
  const x = inputOf(c, seed + 1);
  const [y] = model.predict(tf.tensor(x.data, x.shape, c.input.dtype ?? 'float32'));
  const out = y as tf.Tensor;
  const tfjs = { data: out.dataSync() as Float32Array, shape: out.shape };
  out.dispose();
  const onnx = {} as Record<OnnxEngine, RunnerTensor>;
  for (const engine of ['ort-node', 'ort-web'] as const) {
    const runner = await createSession(bytes, { engine });
    const result = await runner.run({ x });
    onnx[engine] = result[runner.outputNames[0] as string] as RunnerTensor;
    await runner.dispose();
  }
  return { bytes, tfjs, onnx };
}
