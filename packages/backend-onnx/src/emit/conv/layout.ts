import type { Attr } from '../../graph/attributes.js';
import { int, ints, string } from '../../graph/attributes.js';
import type { EmitContext } from '../kind.js';

export type Pair = [number, number];

/** Keras accepts `3` for `[3, 3]`. */
export const pair = (v: number | readonly [number, number]): Pair =>
  typeof v === 'number' ? [v, v] : [v[0], v[1]];

/** The one input of a single-input layer. */
export const only = (inputs: string[]) => inputs[0] as string;

/** Channels-last to channels-first: (B, T, C) -> (B, C, T), (B, H, W, C) -> (B, C, H, W). */
export const toNchw = (ctx: EmitContext, x: string, n: 1 | 2) =>
  ctx.op('Transpose', [x], { perm: ints(n === 1 ? [0, 2, 1] : [0, 3, 1, 2]) });

/** Channels-first back to channels-last; the node writes `output` when given. */
export const toNhwc = (ctx: EmitContext, y: string, n: 1 | 2, output?: string) =>
  ctx.op('Transpose', [y], { perm: ints(n === 1 ? [0, 2, 1] : [0, 2, 3, 1]) }, output);

/** The spatial lengths of the layer's input (null where free). */
export const spatialOf = (ctx: EmitContext, n: 1 | 2): (number | null)[] =>
  (ctx.node.inputs[0]?.shape ?? []).slice(0, n);

/** TF's `same` padding of one axis: [before, after] with the odd one after. */
export function samePads(len: number, span: number, stride: number): Pair {
  const out = Math.ceil(len / stride);
  const total = Math.max((out - 1) * stride + span - len, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * The padding attributes of a windowed NCHW op for Keras's `valid` / `same`: explicit pads
 * where they do not depend on a free length, SAME_UPPER (TF's odd-pad-after) otherwise.
 */
export function padAttrs(
  ctx: EmitContext,
  n: 1 | 2,
  padding: 'valid' | 'same',
  spans: number[],
  strides: number[],
): Record<string, Attr> {
  if (padding === 'valid') return {};
  const lens = spatialOf(ctx, n);
  // A stride of 1 pads span - 1 whatever the length; onnxruntime has no SAME_UPPER with dilation
  // (Keras allows dilation only with strides of 1).
  const known = lens.every((d, i) => d !== null || strides[i] === 1);
  if (!known) return { auto_pad: string('SAME_UPPER') };
  const pads = lens.map((d, i) => samePads(d ?? 1, spans[i] as number, strides[i] as number));
  return { pads: ints([...pads.map((p) => p[0]), ...pads.map((p) => p[1])]) };
}

/** Reduce* over `axes` with keepdims: axes an attribute before opset 18, an input from 18. */
export function reduce(
  ctx: EmitContext,
  op: string,
  x: string,
  axes: number[],
  keepDims: boolean,
  output?: string,
): string {
  const keepdims = int(keepDims ? 1 : 0);
  if (ctx.opset >= 18) return ctx.op(op, [x, ctx.int64s('axes', axes)], { keepdims }, output);
  return ctx.op(op, [x], { axes: ints(axes), keepdims }, output);
}
