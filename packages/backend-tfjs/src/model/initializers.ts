import type { Initializer } from '@netspec/spec';
import { Rng } from '../random.js';

// Keras's initializers, drawn from netspec's own generator so weights do not depend on the
// engine. Fans follow Keras: a kernel [..., in, out] has receptive field prod(...).

type Mode = 'fanIn' | 'fanAvg';
const SCALED = {
  glorotUniform: { scale: 1, mode: 'fanAvg', dist: 'uniform' },
  glorotNormal: { scale: 1, mode: 'fanAvg', dist: 'normal' },
  heUniform: { scale: 2, mode: 'fanIn', dist: 'uniform' },
  heNormal: { scale: 2, mode: 'fanIn', dist: 'normal' },
  lecunUniform: { scale: 1, mode: 'fanIn', dist: 'uniform' },
  lecunNormal: { scale: 1, mode: 'fanIn', dist: 'normal' },
} as const satisfies Record<string, { scale: number; mode: Mode; dist: 'uniform' | 'normal' }>;

/** Keras's stddev correction for a normal truncated at two standard deviations. */
const TRUNCATED_STDDEV = 0.8796256610342398;

export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0] as number, fanOut: shape[0] as number };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return {
    fanIn: (shape.at(-2) as number) * receptive,
    fanOut: (shape.at(-1) as number) * receptive,
  };
}

function truncatedNormal(rng: Rng, mean: number, stddev: number): number {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
}

/** Values of `initializer` for a weight of `shape`; `seed` is used unless the initializer has one. */
export function initialValues(
  initializer: Initializer,
  shape: readonly number[],
  seed: number,
): Float32Array {
  const init = typeof initializer === 'string' ? { type: initializer } : initializer;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const rng = new Rng('seed' in init && init.seed !== undefined ? init.seed : seed);
  switch (init.type) {
    case 'zeros':
      return out;
    case 'ones':
      return out.fill(1);
    case 'constant':
      return out.fill('value' in init ? (init.value as number) : 0);
    case 'randomNormal': {
      const { mean = 0, stddev = 0.05 } = init as { mean?: number; stddev?: number };
      for (let i = 0; i < size; i++) out[i] = mean + stddev * rng.normal();
      return out;
    }
    case 'truncatedNormal': {
      const { mean = 0, stddev = 0.05 } = init as { mean?: number; stddev?: number };
      for (let i = 0; i < size; i++) out[i] = truncatedNormal(rng, mean, stddev);
      return out;
    }
    case 'randomUniform': {
      const { minval = -0.05, maxval = 0.05 } = init as { minval?: number; maxval?: number };
      for (let i = 0; i < size; i++) out[i] = minval + (maxval - minval) * rng.next();
      return out;
    }
    case 'orthogonal':
      return orthogonal(shape, (init as { gain?: number }).gain ?? 1, rng);
    default: {
      const s = SCALED[init.type as keyof typeof SCALED];
      const { fanIn, fanOut } = fans(shape);
      const n = Math.max(1, s.mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2);
      const variance = s.scale / n;
      if (s.dist === 'uniform') {
        const limit = Math.sqrt(3 * variance);
        for (let i = 0; i < size; i++) out[i] = limit * (2 * rng.next() - 1);
      } else {
        const stddev = Math.sqrt(variance) / TRUNCATED_STDDEV;
        for (let i = 0; i < size; i++) out[i] = truncatedNormal(rng, 0, stddev);
      }
      return out;
    }
  }
}

/**
 * Keras's orthogonal: a normal matrix (prod(shape[:-1]), shape[-1]) made orthonormal along its
 * shorter side (Gram-Schmidt, the same span and signs as QR with a positive diagonal), times gain.
 */
function orthogonal(shape: readonly number[], gain: number, rng: Rng): Float32Array {
  const cols = shape.at(-1) ?? 1;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const size = rows * cols;
  // Orthonormalize `k` vectors of length `len`; they become rows or columns of the result.
  const transpose = rows < cols;
  const k = transpose ? rows : cols;
  const len = transpose ? cols : rows;
  const v = new Float64Array(k * len);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < k; i++) {
    const vi = v.subarray(i * len, (i + 1) * len);
    for (let j = 0; j < i; j++) {
      const vj = v.subarray(j * len, (j + 1) * len);
      let dot = 0;
      for (let t = 0; t < len; t++) dot += (vi[t] as number) * (vj[t] as number);
      for (let t = 0; t < len; t++) vi[t] = (vi[t] as number) - dot * (vj[t] as number);
    }
    let norm = 0;
    for (let t = 0; t < len; t++) norm += (vi[t] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < len; t++) vi[t] = (vi[t] as number) / norm;
  }
  const out = new Float32Array(size);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // vector index and position within it
      const value = transpose ? v[r * len + c] : v[c * len + r];
      out[r * cols + c] = gain * (value as number);
    }
  }
  return out;
}
