import { int, ints } from '../graph/attributes.js';
import { only, padAttrs, pair, reduce, toNchw, toNhwc } from './conv/layout.js';
import type { EmitContext, Emitter } from './kind.js';

type Padding = 'valid' | 'same';

/**
 * MaxPool / AveragePool on channels-first, between two Transposes. `same` average pooling divides
 * by the real inputs of each window, as Keras does: count_include_pad=0.
 */
function pool(
  ctx: EmitContext,
  kind: 'max' | 'avg',
  x: string,
  n: 1 | 2,
  size: number[],
  strides: number[],
  padding: Padding,
): string {
  const attrs = {
    kernel_shape: ints(size),
    strides: ints(strides),
    ...padAttrs(ctx, n, padding, size, strides),
    ...(kind === 'avg' ? { count_include_pad: int(0) } : {}),
  };
  const y = ctx.op(kind === 'max' ? 'MaxPool' : 'AveragePool', [toNchw(ctx, x, n)], attrs);
  return toNhwc(ctx, y, n, ctx.outputName());
}

/** MaxPool1D / AvgPool1D; strides default to the pool size. */
const pool1d = (kind: 'max' | 'avg') => ({
  emit(
    c: { poolSize: number; strides?: number | undefined; padding: Padding },
    inputs: string[],
    ctx: EmitContext,
  ) {
    const s = c.strides ?? c.poolSize;
    return [pool(ctx, kind, only(inputs), 1, [c.poolSize], [s], c.padding)];
  },
});

type Window = number | readonly [number, number];

/** MaxPool2D / AvgPool2D; strides default to the pool size. */
const pool2d = (kind: 'max' | 'avg') => ({
  emit(
    c: { poolSize: Window; strides?: Window | undefined; padding: Padding },
    inputs: string[],
    ctx: EmitContext,
  ) {
    const size = pair(c.poolSize);
    return [pool(ctx, kind, only(inputs), 2, size, pair(c.strides ?? c.poolSize), c.padding)];
  },
});

/**
 * Global pooling: a Reduce over the spatial axes of the input made channels-first, as the other
 * pools. A Reduce over the channels-last axes 1..n would be cheaper to read but slower to run:
 * onnxruntime's transpose optimizer does not push the Transpose that follows a Conv through the
 * elementwise ops (batch norm's Mul / Add, a residual Sum, Relu) into a channels-last Reduce, so
 * the last block before the pool stays unfused, channels-last. With the Transpose written here
 * the pair cancels; where the input is channels-last anyway, onnxruntime pushes the lone
 * Transpose through the Reduce (keepDims false: it disappears; true: it cancels the one back).
 */
const global = (op: 'ReduceMax' | 'ReduceMean', n: 1 | 2) => ({
  emit: (c: { keepDims: boolean }, inputs: string[], ctx: EmitContext) => {
    const axes = n === 1 ? [2] : [2, 3];
    const x = toNchw(ctx, only(inputs), n);
    if (!c.keepDims) return [reduce(ctx, op, x, axes, false, ctx.outputName())];
    return [toNhwc(ctx, reduce(ctx, op, x, axes, true), n, ctx.outputName())];
  },
});

/** The pooling family in ONNX. */
export const poolingEmitters = {
  maxPool1d: pool1d('max') satisfies Emitter<'maxPool1d'>,
  maxPool2d: pool2d('max') satisfies Emitter<'maxPool2d'>,
  avgPool1d: pool1d('avg') satisfies Emitter<'avgPool1d'>,
  avgPool2d: pool2d('avg') satisfies Emitter<'avgPool2d'>,
  globalMaxPool1d: global('ReduceMax', 1) satisfies Emitter<'globalMaxPool1d'>,
  globalMaxPool2d: global('ReduceMax', 2) satisfies Emitter<'globalMaxPool2d'>,
  globalAvgPool1d: global('ReduceMean', 1) satisfies Emitter<'globalAvgPool1d'>,
  globalAvgPool2d: global('ReduceMean', 2) satisfies Emitter<'globalAvgPool2d'>,
};
