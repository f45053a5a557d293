// Plain-JS references for layer tests: seeded data and naive NHWC loops that share no code with
// the tfjs layers they check.
import type { NetspecModel } from '../model/model.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';

export type Pair = [number, number];

/** A row-major N-d array for naive loops. */
export class Nd {
  readonly data: Float32Array;
  private readonly steps: number[];

  constructor(
    readonly shape: number[],
    data?: ArrayLike<number>,
  ) {
    const size = shape.reduce((a, b) => a * b, 1);
    this.data = data ? Float32Array.from(data) : new Float32Array(size);
    if (this.data.length !== size) throw new Error(`Nd: ${this.data.length} values for [${shape}]`);
    this.steps = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  }

  static of(t: tf.Tensor): Nd {
    return new Nd(t.shape, t.dataSync());
  }

  private offset(index: number[]): number {
    return index.reduce((o, v, i) => o + v * (this.steps[i] as number), 0);
  }
  get(...index: number[]): number {
    return this.data[this.offset(index)] as number;
  }
  set(value: number, ...index: number[]): void {
    this.data[this.offset(index)] = value;
  }
  add(value: number, ...index: number[]): void {
    const o = this.offset(index);
    this.data[o] = (this.data[o] as number) + value;
  }
  tensor(): tf.Tensor {
    return tf.tensor(this.data, this.shape, 'float32');
  }
}

/** Seeded values uniform in [-1, 1). */
export function randomValues(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

/** A seeded Nd array, uniform in [-1, 1). */
export function randomNd(shape: number[], seed: number): Nd {
  return new Nd(
    shape,
    randomValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
  );
}

/** Sets weight `layer.<name>` of a one-layer test model to seeded values and returns them. */
export function setWeight(model: NetspecModel, name: string, seed: number): Nd {
  const w = model.weights.get(`layer.${name}`);
  if (!w) throw new Error(`no weight layer.${name}`);
  const nd = randomNd(w.param.shape, seed);
  w.variable.assign(nd.tensor());
  return nd;
}

/** The shape inference gave output `i` of the tested layer (batch excluded; null is free). */
export function inferredShape(model: NetspecModel, i = 0): (number | null)[] {
  const node = model.resolved.nodes.find((n) => n.path === 'layer');
  const shape = node?.outputs[i]?.shape;
  if (!shape) throw new Error('no inferred output');
  return shape;
}

/** Whether a run's shape (batch included) fits an inferred one (null fits any size). */
export function fitsShape(actual: number[], inferred: (number | null)[]): boolean {
  return (
    actual.length === inferred.length + 1 &&
    inferred.every((d, i) => d === null || d === actual[i + 1])
  );
}

/** Max |a - b| over two arrays of the same shape; Infinity when the shapes differ. */
export function maxDiff(actual: tf.Tensor, expected: Nd): number {
  if (actual.shape.join() !== expected.shape.join()) return Number.POSITIVE_INFINITY;
  const a = actual.dataSync();
  return expected.data.reduce((m, v, i) => Math.max(m, Math.abs((a[i] as number) - v)), 0);
}

/** TF's `same` padding of one axis: total = max((ceil(n/s)-1)*s + span - n, 0), before = total/2 floored. */
export function samePads(n: number, span: number, stride: number): Pair {
  const total = Math.max((Math.ceil(n / stride) - 1) * stride + span - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface NaiveConv {
  strides: Pair;
  dilation: Pair;
  /** [[top, bottom], [left, right]] zeros around the input. */
  pads: [Pair, Pair];
  groups?: number;
}

/**
 * y[b,i,j,f] = sum over taps (p,q) and the group's channels c of
 * x[b, i*sh + p*dh - top, j*sw + q*dw - left, g*cin + c] * k[p,q,c,f], zero outside the input.
 */
export function naiveConv2d(x: Nd, k: Nd, o: NaiveConv): Nd {
  const [B, H, W] = x.shape as [number, number, number, number];
  const [KH, KW, CIN, F] = k.shape as [number, number, number, number];
  const groups = o.groups ?? 1;
  const span = (kk: number, d: number) => (kk - 1) * d + 1;
  const OH =
    Math.floor((H + o.pads[0][0] + o.pads[0][1] - span(KH, o.dilation[0])) / o.strides[0]) + 1;
  const OW =
    Math.floor((W + o.pads[1][0] + o.pads[1][1] - span(KW, o.dilation[1])) / o.strides[1]) + 1;
  const y = new Nd([B, OH, OW, F]);
  const perGroup = F / groups;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let f = 0; f < F; f++) {
          const g = Math.floor(f / perGroup);
          let sum = 0;
          for (let p = 0; p < KH; p++)
            for (let q = 0; q < KW; q++) {
              const r = i * o.strides[0] + p * o.dilation[0] - o.pads[0][0];
              const s = j * o.strides[1] + q * o.dilation[1] - o.pads[1][0];
              if (r < 0 || r >= H || s < 0 || s >= W) continue;
              for (let c = 0; c < CIN; c++) sum += x.get(b, r, s, g * CIN + c) * k.get(p, q, c, f);
            }
          y.set(sum, b, i, j, f);
        }
  return y;
}

/** Depthwise: y[..., c*M + m] = sum over taps of x[..., c] * k[p, q, c, m]. */
export function naiveDepthwise(x: Nd, k: Nd, o: NaiveConv): Nd {
  const [KH, KW, C, M] = k.shape as [number, number, number, number];
  // A grouped convolution with one group per input channel and kernel [KH, KW, 1, C*M].
  const grouped = new Nd([KH, KW, 1, C * M]);
  for (let p = 0; p < KH; p++)
    for (let q = 0; q < KW; q++)
      for (let c = 0; c < C; c++)
        for (let m = 0; m < M; m++) grouped.set(k.get(p, q, c, m), p, q, 0, c * M + m);
  return naiveConv2d(x, grouped, { ...o, groups: C });
}

/**
 * Transposed convolution by scattering: full[b, i*sh + p*dh, j*sw + q*dw, f] += x[b,i,j,c] *
 * k[p,q,f,c]; output (r, s) is full[r + offset[0], s + offset[1]], zero beyond the full result.
 */
export function naiveConvTranspose(
  x: Nd,
  k: Nd,
  o: { strides: Pair; dilation: Pair; offset: Pair; out: Pair },
): Nd {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const [KH, KW, F] = k.shape as [number, number, number, number];
  const FH = (H - 1) * o.strides[0] + (KH - 1) * o.dilation[0] + 1;
  const FW = (W - 1) * o.strides[1] + (KW - 1) * o.dilation[1] + 1;
  const full = new Nd([B, FH, FW, F]);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let p = 0; p < KH; p++)
          for (let q = 0; q < KW; q++)
            for (let f = 0; f < F; f++)
              for (let c = 0; c < C; c++) {
                const r = i * o.strides[0] + p * o.dilation[0];
                const s = j * o.strides[1] + q * o.dilation[1];
                full.add(x.get(b, i, j, c) * k.get(p, q, f, c), b, r, s, f);
              }
  const y = new Nd([B, o.out[0], o.out[1], F]);
  for (let b = 0; b < B; b++)
    for (let r = 0; r < o.out[0]; r++)
      for (let s = 0; s < o.out[1]; s++)
        for (let f = 0; f < F; f++) {
          const fr = r + o.offset[0];
          const fs = s + o.offset[1];
          if (fr < FH && fs < FW) y.set(full.get(b, fr, fs, f), b, r, s, f);
        }
  return y;
}

/** Adds a bias along the last axis. */
export function addBias(y: Nd, bias: Nd): Nd {
  const n = bias.data.length;
  return new Nd(
    y.shape,
    y.data.map((v, i) => v + (bias.data[i % n] as number)),
  );
}

/** Nd view of a [.., T, C] 1-D input as [.., 1, T, C] and back. */
export const as2d = (x: Nd) => new Nd([x.shape[0] as number, 1, ...x.shape.slice(1)], x.data);
export const as1d = (y: Nd) => new Nd([y.shape[0] as number, ...y.shape.slice(2)], y.data);
