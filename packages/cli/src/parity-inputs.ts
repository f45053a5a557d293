import type { RunnerTensor } from '@netspec/spec';
import type { ModelInput } from './model-source.js';

// Inputs for a parity check: seeded, so a failure can be rerun exactly. Floats are uniform in
// [0, 1) (the range of images and most normalized data); ids stay below the smallest
// embedding table so every engine looks up real rows.

/** The smallest `inputDim` anywhere in the spec (embedding tables), if any. */
export function smallestVocabulary(spec: unknown): number | undefined {
  let best: number | undefined;
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const dim = (v as { inputDim?: unknown }).inputDim;
      if (typeof dim === 'number') best = Math.min(best ?? dim, dim);
      Object.values(v).forEach(walk);
    }
  };
  walk(spec);
  return best;
}

/** A small deterministic generator (mulberry32): the same seed gives the same inputs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `samples` seeded inputs per model input; free dimensions get `freeLength`. */
export function parityInputs(
  inputs: readonly ModelInput[],
  options: { samples: number; seed: number; maxId?: number; freeLength?: number },
): Record<string, RunnerTensor> {
  const next = mulberry32(options.seed);
  const out: Record<string, RunnerTensor> = {};
  for (const input of inputs) {
    const shape = [options.samples, ...input.shape.map((d) => d ?? options.freeLength ?? 8)];
    const n = shape.reduce((a, b) => a * b, 1);
    const ids = options.maxId ?? 2;
    out[input.name] =
      input.dtype === 'int32'
        ? { data: Int32Array.from({ length: n }, () => Math.floor(next() * ids)), shape }
        : { data: Float32Array.from({ length: n }, next), shape };
  }
  return out;
}
