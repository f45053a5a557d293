// Plain-JS references of the attention family, for tests only: loops over Float32Arrays in
// float64, written from the Keras/keras-hub formulas without tfjs, so a test compares the backend
// against an independent computation.

import { Rng } from '../random.js';

/** A batch of sequences: (B, T, D) as nested arrays. */
export type Seq = number[][][];
/** A weight by its name in the layer (`query.kernel`), flat in row-major order. */
export type Weights = (name: string) => ArrayLike<number>;
/** Whether query i of batch b may attend to key j. */
export type KeepFn = (b: number, i: number, j: number) => boolean;

/** A seeded (B, T, D) batch of standard normals times `scale`. */
export function randomSeq(seed: number, b: number, t: number, d: number, scale = 1): Seq {
  const rng = new Rng(seed);
  const draw = () => Array.from({ length: d }, () => rng.normal() * scale);
  return Array.from({ length: b }, () => Array.from({ length: t }, draw));
}

/** erf to ~1e-12 by its Taylor series (|x| < 3) or 1 - erfc's continued fraction (beyond). */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 3) {
    let term = a;
    let sum = a;
    for (let n = 1; n < 80; n++) {
      term *= (-a * a) / n;
      sum += term / (2 * n + 1);
    }
    return (Math.sign(x) * 2 * sum) / Math.sqrt(Math.PI);
  }
  let frac = 0;
  for (let n = 60; n >= 1; n--) frac = n / 2 / (a + frac);
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + frac);
  return Math.sign(x) * (1 - erfc);
}

/** Exact GELU x * Phi(x), and the tanh approximation. */
export const geluExact = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
export const geluTanh = (x: number) =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

export const everywhere: KeepFn = () => true;
export const causal: KeepFn = (_b, i, j) => j <= i;

export const at = (a: ArrayLike<number>, i: number) => a[i] as number;
const row = <T>(a: T[], i: number) => a[i] as T;

/** Softmax over the kept entries; masked entries get probability 0 (Keras's -1e9 limit). */
export function softmaxKept(scores: number[], keep: boolean[]): number[] {
  const kept = scores.filter((_, j) => keep[j]);
  const max = Math.max(...kept);
  const exps = scores.map((s, j) => (keep[j] ? Math.exp(s - max) : 0));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** x (D) @ kernel (D, U) + bias (U). */
export function dense(x: number[], kernel: ArrayLike<number>, bias?: ArrayLike<number>): number[] {
  const units = kernel.length / x.length;
  const out = Array.from({ length: units }, (_, u) => (bias ? at(bias, u) : 0));
  x.forEach((xi, c) => {
    for (let u = 0; u < units; u++) out[u] = (out[u] as number) + xi * at(kernel, c * units + u);
  });
  return out;
}

/** Keras LayerNormalization of one feature vector. */
export function layerNorm(
  x: number[],
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  eps: number,
): number[] {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * at(gamma, i) + at(beta, i));
}

export interface MhaSizes {
  heads: number;
  keyDim: number;
  valueDim: number;
  useBias: boolean;
}

/** Splits a dense output of heads * dim values into heads rows. */
const splitHeads = (flat: number[], heads: number, dim: number) =>
  Array.from({ length: heads }, (_, h) => flat.slice(h * dim, (h + 1) * dim));

/**
 * Keras MultiHeadAttention by loops: per-head projections, query scaled by 1/sqrt(keyDim), a
 * softmax over the kept keys of each query, then the output projection over (heads, valueDim).
 */
export function mha(
  query: Seq,
  value: Seq,
  key: Seq,
  w: Weights,
  s: MhaSizes,
  keep: KeepFn,
  prefix = '',
): Seq {
  const bias = (name: string) => (s.useBias ? w(`${prefix}${name}.bias`) : undefined);
  const proj = (x: number[], name: string, dim: number) =>
    splitHeads(dense(x, w(`${prefix}${name}.kernel`), bias(name)), s.heads, dim);
  return query.map((qs, b) => {
    const ks = row(key, b).map((x) => proj(x, 'key', s.keyDim)); // [S][h][kd]
    const vs = row(value, b).map((x) => proj(x, 'value', s.valueDim)); // [S][h][vd]
    return qs.map((x, i) => {
      const q = proj(x, 'query', s.keyDim); // [h][kd]
      const mixed: number[] = [];
      for (let h = 0; h < s.heads; h++) {
        const qh = row(q, h).map((v) => v / Math.sqrt(s.keyDim));
        const scores = ks.map((k) => qh.reduce((a, v, e) => a + v * at(row(k, h), e), 0));
        const p = softmaxKept(
          scores,
          ks.map((_, j) => keep(b, i, j)),
        );
        for (let e = 0; e < s.valueDim; e++)
          mixed.push(vs.reduce((a, v, j) => a + at(p, j) * at(row(v, h), e), 0));
      }
      return dense(mixed, w(`${prefix}output.kernel`), bias('output'));
    });
  });
}

/** The options of a keras-hub transformer block, as the reference reads them. */
export interface BlockOptions {
  heads: number;
  eps: number;
  normalizeFirst: boolean;
  activation: (x: number) => number;
}

/** A residual sub-block on every position: pre-norm or post-norm around `body`. */
function residual(x: Seq, norm: string, w: Weights, o: BlockOptions, body: (x: Seq) => Seq): Seq {
  const ln = (s: Seq) =>
    s.map((t) => t.map((v) => layerNorm(v, w(`${norm}.gamma`), w(`${norm}.beta`), o.eps)));
  const out = body(o.normalizeFirst ? ln(x) : x);
  const sum = x.map((t, b) => t.map((v, i) => v.map((e, f) => e + at(row(row(out, b), i), f))));
  return o.normalizeFirst ? sum : ln(sum);
}

/**
 * keras-hub TransformerEncoder (no encoder sequence) or TransformerDecoder (with one): masked
 * self-attention, optional cross-attention, then dense(intermediate, activation) and dense(D).
 */
export function transformerBlock(
  x: Seq,
  w: Weights,
  o: BlockOptions,
  selfKeep: KeepFn,
  encoder?: { seq: Seq; keep: KeepFn },
): Seq {
  const d = row(row(x, 0), 0).length;
  const sizes = { heads: o.heads, keyDim: d / o.heads, valueDim: d / o.heads, useBias: true };
  const attend = (src: Seq | undefined, keep: KeepFn, prefix: string) => (q: Seq) =>
    mha(q, src ?? q, src ?? q, w, sizes, keep, prefix);
  let y = residual(x, 'selfAttentionNorm', w, o, attend(undefined, selfKeep, 'selfAttention.'));
  if (encoder)
    y = residual(
      y,
      'crossAttentionNorm',
      w,
      o,
      attend(encoder.seq, encoder.keep, 'crossAttention.'),
    );
  const ffn = (v: number[]) => {
    const hidden = dense(v, w('ffn.intermediate.kernel'), w('ffn.intermediate.bias'));
    return dense(hidden.map(o.activation), w('ffn.output.kernel'), w('ffn.output.bias'));
  };
  return residual(y, 'ffnNorm', w, o, (s) => s.map((t) => t.map(ffn)));
}
