// Plain-JS references of the recurrent family, for tests only: Keras 3's cell equations as loops
// in float64 over flat weight arrays, with no tfjs, so a test checks the backend independently.
import type { NetspecModel } from '../model/model.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';

/** A batch of sequences (B, T, F) as nested arrays. */
export type Seq = number[][][];

/** The activations the tests use, with Keras 3's definitions. */
export const ACTIVATIONS: Record<string, (v: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  relu: (v) => Math.max(0, v),
  // Keras 3: relu6(x + 3) / 6
  hardSigmoid: (v) => Math.min(6, Math.max(0, v + 3)) / 6,
  linear: (v) => v,
};

export interface RefOptions {
  kind: 'simpleRnn' | 'lstm' | 'gru';
  units: number;
  activation?: string;
  recurrentActivation?: string;
  goBackwards?: boolean;
  resetAfter?: boolean;
}

export interface RefWeights {
  kernel: ArrayLike<number>;
  recurrent: ArrayLike<number>;
  bias?: ArrayLike<number> | undefined;
}

/** Every h in processing order (B, T, U) and the final states (h, then c for an LSTM). */
export interface RefResult {
  sequence: Seq;
  states: number[][][];
}

const at = (a: ArrayLike<number>, i: number) => a[i] as number;

/** v (n) @ m[:, col0 : col0 + width] for m of `cols` columns. */
function matvec(
  v: number[],
  m: ArrayLike<number>,
  cols: number,
  col0: number,
  width: number,
): number[] {
  return Array.from({ length: width }, (_, j) =>
    v.reduce((sum, vk, k) => sum + vk * at(m, k * cols + col0 + j), 0),
  );
}

const add = (...vs: number[][]) =>
  (vs[0] as number[]).map((_, j) => vs.reduce((s, v) => s + (v[j] as number), 0));
const slice = (a: ArrayLike<number> | undefined, from: number, n: number): number[] =>
  Array.from({ length: n }, (_, j) => (a ? at(a, from + j) : 0));

/** One step of the cell: input x (F), states -> new states (h first). */
type Step = (x: number[], states: number[][]) => number[][];

/** Dropout masks of one sample: one per gate (Keras's implementation 1) or one for all gates. */
export interface SampleMasks {
  input: number[][];
  recurrent: number[][];
}

/** v times the mask gate `gate` uses; unchanged without masks. */
function masked(v: number[], masks: number[][] | undefined, gate: number): number[] {
  const m = masks?.[masks.length > 1 ? gate : 0];
  return m ? v.map((x, j) => x * (m[j] as number)) : v;
}

function stepOf(o: RefOptions, w: RefWeights, m?: SampleMasks): Step {
  const u = o.units;
  const act = ACTIVATIONS[o.activation ?? 'tanh'] as (v: number) => number;
  const ract = ACTIVATIONS[o.recurrentActivation ?? 'sigmoid'] as (v: number) => number;
  const g = o.kind === 'lstm' ? 4 : o.kind === 'gru' ? 3 : 1;
  // x · kernel[:, gate] and h · recurrent_kernel[:, gate]
  const xk = (x: number[], gate: number) =>
    matvec(masked(x, m?.input, gate), w.kernel, g * u, gate * u, u);
  const hr = (h: number[], gate: number) =>
    matvec(masked(h, m?.recurrent, gate), w.recurrent, g * u, gate * u, u);
  const b = (gate: number, row = 0) => slice(w.bias, row * g * u + gate * u, u);
  if (o.kind === 'simpleRnn')
    return (x, [h]) => [add(xk(x, 0), b(0), hr(h as number[], 0)).map(act)];
  if (o.kind === 'lstm')
    return (x, [h, c]) => {
      const z = (gate: number) => add(xk(x, gate), hr(h as number[], gate), b(gate));
      const i = z(0).map(ract);
      const f = z(1).map(ract);
      const cc = z(2).map(act);
      const o_ = z(3).map(ract);
      const next = f.map(
        (fj, j) => fj * ((c as number[])[j] as number) + (i[j] as number) * (cc[j] as number),
      );
      return [o_.map((oj, j) => oj * act(next[j] as number)), next];
    };
  const after = o.resetAfter ?? true;
  // reset_after: bias rows [input; recurrent]; before: one input bias row.
  return (x, [state]) => {
    const h = state as number[];
    const rb = (gate: number) => (after ? b(gate, 1) : slice(undefined, 0, u));
    const z = add(xk(x, 0), b(0), hr(h, 0), rb(0)).map(ract);
    const r = add(xk(x, 1), b(1), hr(h, 1), rb(1)).map(ract);
    const recurrentH = after
      ? add(hr(h, 2), rb(2)).map((v, j) => (r[j] as number) * v)
      : hr(
          h.map((v, j) => v * (r[j] as number)),
          2,
        );
    const hh = add(xk(x, 2), b(2), recurrentH).map(act);
    return [z.map((zj, j) => zj * (h[j] as number) + (1 - zj) * (hh[j] as number))];
  };
}

/**
 * Runs the cell over every sequence of `x` from zero states, reversed when goBackwards, with the
 * training dropout masks of sample b when `masks` gives them.
 */
export function refRnn(
  x: Seq,
  w: RefWeights,
  o: RefOptions,
  masks?: (b: number) => SampleMasks,
): RefResult {
  const nStates = o.kind === 'lstm' ? 2 : 1;
  const sequence: Seq = [];
  const finals: number[][][] = Array.from({ length: nStates }, () => []);
  for (const [b, sample] of x.entries()) {
    const step = stepOf(o, w, masks?.(b));
    const steps = o.goBackwards ? [...sample].reverse() : sample;
    let states = Array.from({ length: nStates }, () => new Array<number>(o.units).fill(0));
    const hs: number[][] = [];
    for (const xt of steps) {
      states = step(xt, states);
      hs.push(states[0] as number[]);
    }
    sequence.push(hs);
    states.forEach((s, k) => {
      (finals[k] as number[][]).push(s);
    });
  }
  return { sequence, states: finals };
}

// Test plumbing around the references: seeded data, weights in and out of a layerModel.

/** A seeded (B, T, F) batch of uniform values in [-scale, scale). */
export function randomSeq(seed: number, b: number, t: number, f: number, scale = 1): Seq {
  const rng = new Rng(seed);
  const draw = () => Array.from({ length: f }, () => scale * (2 * rng.next() - 1));
  return Array.from({ length: b }, () => Array.from({ length: t }, draw));
}

/** Gives every weight of `model` seeded uniform values in [-scale, scale) (biases included). */
export function randomizeWeights(model: NetspecModel, seed: number, scale = 0.6): void {
  const rng = new Rng(seed);
  for (const w of model.weights.values()) {
    const values = Float32Array.from(
      { length: w.variable.size },
      () => scale * (2 * rng.next() - 1),
    );
    w.variable.assign(tf.tensor(values, w.param.shape, 'float32'));
  }
}

/** The layer's weights (under `prefix`, e.g. `forward.`) as the reference reads them. */
export function refWeights(model: NetspecModel, prefix = ''): RefWeights {
  const get = (name: string) =>
    model.weights.get(`layer.${prefix}${name}`)?.variable.dataSync() as Float32Array | undefined;
  const kernel = get('kernel');
  const recurrent = get('recurrent_kernel');
  if (!kernel || !recurrent) throw new Error(`no ${prefix}kernel`);
  return { kernel, recurrent, bias: get('bias') };
}

/** The layer's inferred output shapes with batch `b` in front and free dims set to `t`. */
export function inferredShapes(model: NetspecModel, b: number, t: number): number[][] {
  const node = model.resolved.nodes.find((n) => n.path === 'layer');
  return (node?.outputs ?? []).map((o) => [b, ...o.shape.map((d) => d ?? t)]);
}

/** Max |actual - expected| over a tensor and nested arrays of the same size (Infinity if not). */
export function maxDiff(actual: tf.Tensor, expected: unknown[]): number {
  const want = expected.flat(Number.POSITIVE_INFINITY) as number[];
  const got = actual.dataSync();
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  return want.reduce((m, v, i) => Math.max(m, Math.abs(v - at(got, i))), 0);
}
