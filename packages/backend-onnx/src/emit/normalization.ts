import { float, int, ints } from '../graph/attributes.js';
import type { EmitContext, Emitter } from './kind.js';

/** The one input of a single-input layer. */
const only = (inputs: string[]) => inputs[0] as string;

/** The input's rank, batch included. */
const rankOf = (ctx: EmitContext) => (ctx.node.inputs[0]?.shape.length ?? 0) + 1;

/** A spec axis (batch is 0, negatives count from the end) as an axis of a rank-`rank` tensor. */
const runtimeAxis = (axis: number, rank: number) => (axis < 0 ? rank + axis : axis);
const runtimeAxes = (axis: number | number[], rank: number) =>
  (typeof axis === 'number' ? [axis] : axis).map((a) => runtimeAxis(a, rank));

/** A float32 constant under this layer's path. */
const floats = (ctx: EmitContext, base: string, data: Float32Array, dims: readonly number[]) =>
  ctx.graph.initializer(`${ctx.node.path}/${base}`, data, dims);

/**
 * The dims a weight of the normalized axes broadcasts as against a rank-`rank` input, batch left
 * out (ONNX broadcasts from the right): the input's size on `axes`, 1 elsewhere. The data is
 * Keras's weight reshaped as-is, as the tfjs backend does.
 */
function broadcastDims(ctx: EmitContext, axes: number[], rank: number): number[] {
  const shape = ctx.node.inputs[0]?.shape ?? [];
  const dims: number[] = [];
  for (let i = 1; i < rank; i++) dims.push(axes.includes(i) ? (shape[i - 1] as number) : 1);
  // Leading ones broadcast anyway; drop them to keep the constants small.
  while (dims.length > 0 && dims[0] === 1) dims.shift();
  return dims;
}

/** ReduceMean keeping dims: axes an attribute up to opset 17, an input from 18. */
function reduceMean(ctx: EmitContext, x: string, axes: number[]): string {
  if (ctx.opset >= 18)
    return ctx.op('ReduceMean', [x, ctx.int64s('axes', axes)], { keepdims: int(1) });
  return ctx.op('ReduceMean', [x], { axes: ints(axes), keepdims: int(1) });
}

/**
 * Keras's affine normalization in its own order of operations:
 * inv = 1/sqrt(var + eps) · gamma;  y = x · inv + (beta - mean · inv).
 */
function normalize(
  ctx: EmitContext,
  x: string,
  mean: string,
  variance: string,
  epsilon: number,
  gamma: string | undefined,
  beta: string | undefined,
  output?: string,
): string {
  const std = ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.scalar('epsilon', epsilon)])]);
  let inv = ctx.op('Reciprocal', [std]);
  if (gamma) inv = ctx.op('Mul', [inv, gamma]);
  let res = ctx.op('Neg', [ctx.op('Mul', [mean, inv])]);
  if (beta) res = ctx.op('Add', [res, beta]);
  return ctx.op('Add', [ctx.op('Mul', [x, inv]), res], {}, output);
}

/** Mean and biased variance over `axes`, kept as size-1 axes. */
function moments(ctx: EmitContext, x: string, axes: number[]) {
  const mean = reduceMean(ctx, x, axes);
  const d = ctx.op('Sub', [x, mean]);
  return { mean, variance: reduceMean(ctx, ctx.op('Mul', [d, d]), axes) };
}

/** gamma and beta (when the layer has them) as constants of `dims`. */
function affine(
  ctx: EmitContext,
  c: { scale: boolean; center: boolean },
  dims: number[],
): { gamma?: string; beta?: string } {
  return {
    ...(c.scale ? { gamma: floats(ctx, 'gamma', ctx.weightData('gamma'), dims) } : {}),
    ...(c.center ? { beta: floats(ctx, 'beta', ctx.weightData('beta'), dims) } : {}),
  };
}

/** The normalization family in ONNX. */
export const normalizationEmitters = {
  batchNorm: {
    // Inference with the moving statistics folded into per-channel constants:
    // y = x · scale + shift, scale = gamma / sqrt(var + eps), shift = beta - mean · scale.
    // Any channel axis works, with no Transpose to ONNX's NCHW BatchNormalization.
    emit(c, inputs, ctx) {
      const rank = rankOf(ctx);
      const axis = runtimeAxis(c.axis, rank);
      const mean = ctx.weightData('moving_mean');
      const variance = ctx.weightData('moving_variance');
      const gamma = c.scale ? ctx.weightData('gamma') : undefined;
      const beta = c.center ? ctx.weightData('beta') : undefined;
      const n = mean.length;
      const scale = new Float32Array(n);
      const shift = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const inv = Math.fround(
          Math.fround(1 / Math.sqrt(Math.fround((variance[i] as number) + c.epsilon))) *
            (gamma ? (gamma[i] as number) : 1),
        );
        scale[i] = inv;
        shift[i] = (beta ? (beta[i] as number) : 0) - Math.fround((mean[i] as number) * inv);
      }
      const dims = [n, ...Array<number>(rank - 1 - axis).fill(1)];
      const y = ctx.op('Mul', [only(inputs), floats(ctx, 'scale', scale, dims)]);
      return [ctx.op('Add', [y, floats(ctx, 'shift', shift, dims)], {}, ctx.outputName())];
    },
  } satisfies Emitter<'batchNorm'>,

  layerNorm: {
    // LayerNormalization when the axes are the trailing ones in order; a decomposition otherwise.
    emit(c, inputs, ctx) {
      const x = only(inputs);
      const rank = rankOf(ctx);
      const axes = runtimeAxes(c.axis, rank);
      const first = axes[0] as number;
      const trailing = axes.every((a, i) => a === first + i) && first + axes.length === rank;
      if (trailing) {
        const shape = (ctx.node.inputs[0]?.shape ?? []).slice(first - 1) as number[];
        const count = shape.reduce((a, b) => a * b, 1);
        // Keras's weights have the normalized dims in order: ONNX's Scale and B as they are.
        const gamma = c.scale
          ? ctx.weight('gamma')
          : floats(ctx, 'gamma', new Float32Array(count).fill(1), shape);
        const beta = c.center ? [ctx.weight('beta')] : [];
        return [
          ctx.op(
            'LayerNormalization',
            [x, gamma, ...beta],
            { axis: int(first), epsilon: float(c.epsilon) },
            ctx.outputName(),
          ),
        ];
      }
      const { mean, variance } = moments(ctx, x, axes);
      const { gamma, beta } = affine(ctx, c, broadcastDims(ctx, axes, rank));
      return [normalize(ctx, x, mean, variance, c.epsilon, gamma, beta, ctx.outputName())];
    },
  } satisfies Emitter<'layerNorm'>,

  groupNorm: {
    // (B, ..., C, ...) -> (B, ..., G, C/G, ...), moments over all but batch and group, back.
    emit(c, inputs, ctx) {
      const x = only(inputs);
      const rank = rankOf(ctx);
      const axis = runtimeAxis(c.axis, rank);
      const channels = ctx.node.inputs[0]?.shape[axis - 1] as number;
      const shape = ctx.op('Shape', [x]);
      const slice = (start: number, end: number) =>
        ctx.op('Slice', [
          shape,
          ctx.int64s('starts', [start]),
          ctx.int64s('ends', [end]),
          ctx.int64s('axes', [0]),
        ]);
      const parts = [
        slice(0, axis),
        ctx.int64s('groups', [c.groups, channels / c.groups]),
        ...(axis + 1 < rank ? [slice(axis + 1, rank)] : []),
      ];
      const grouped = ctx.op('Concat', parts, { axis: int(0) });
      const xg = ctx.op('Reshape', [x, grouped]);
      const axes = [...Array(rank + 1).keys()].filter((i) => i !== 0 && i !== axis);
      const { mean, variance } = moments(ctx, xg, axes);
      const dims = [c.groups, channels / c.groups, ...Array<number>(rank - 1 - axis).fill(1)];
      const { gamma, beta } = affine(ctx, c, dims);
      const y = normalize(ctx, xg, mean, variance, c.epsilon, gamma, beta);
      return [ctx.op('Reshape', [y, shape], {}, ctx.outputName())];
    },
  } satisfies Emitter<'groupNorm'>,

  rmsNorm: {
    // Keras 3's RMSNormalization: x · 1/sqrt(mean(x², axes) + eps) · scale.
    emit(c, inputs, ctx) {
      const x = only(inputs);
      const rank = rankOf(ctx);
      const axes = runtimeAxes(c.axis, rank);
      const ms = reduceMean(ctx, ctx.op('Mul', [x, x]), axes);
      const rrms = ctx.op('Reciprocal', [
        ctx.op('Sqrt', [ctx.op('Add', [ms, ctx.scalar('epsilon', c.epsilon)])]),
      ]);
      const scale = floats(ctx, 'scale', ctx.weightData('scale'), broadcastDims(ctx, axes, rank));
      return [ctx.op('Mul', [ctx.op('Mul', [x, rrms]), scale], {}, ctx.outputName())];
    },
  } satisfies Emitter<'rmsNorm'>,
};
