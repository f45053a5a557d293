import { type Attr, int, string } from '../../graph/attributes.js';
import type { EmitContext, Emitter } from '../kind.js';
import { only, pair, toNchw, toNhwc } from './layout.js';

type Sides = readonly [number, number];

/** TensorProto data types of Cast. */
const FLOAT = 1;
const INT32 = 6;

/** ONNX's "to the end" for Slice (INT64_MAX). */
const TO_END = 2n ** 63n - 1n;

/** Any Keras padding/cropping form as [before, after] per spatial axis. */
function sides(v: number | Sides | readonly (number | Sides)[], n: 1 | 2): Sides[] {
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v] as const);
  if (n === 1) return [v as Sides];
  return (v as readonly (number | Sides)[]).map((s) => pair(s));
}

/** Pad with zeros before and after each spatial axis; batch and channels untouched. */
function zeroPad(ctx: EmitContext, x: string, s: Sides[]): string {
  const pads = [0, ...s.map((p) => p[0]), 0, 0, ...s.map((p) => p[1]), 0];
  return ctx.op('Pad', [x, ctx.int64s('pads', pads)], {}, ctx.outputName());
}

/** Slice off `before` and `after` entries of each spatial axis. */
function crop(ctx: EmitContext, x: string, s: Sides[]): string {
  const args = [
    x,
    ctx.int64s(
      'starts',
      s.map((p) => p[0]),
    ),
    ctx.int64s(
      'ends',
      s.map((p) => (p[1] > 0 ? -p[1] : TO_END)),
    ),
    ctx.int64s(
      'axes',
      s.map((_, i) => i + 1),
    ),
  ];
  return ctx.op('Slice', args, {}, ctx.outputName());
}

/**
 * Resize by integer `scales` (batch and channels 1). Nearest repeats (asymmetric + floor reads
 * input floor(i / s)); linear is TF's half-pixel bilinear, clamped at the edges.
 */
function resize(
  ctx: EmitContext,
  x: string,
  scales: number[],
  mode: 'nearest' | 'linear',
  output?: string,
): string {
  const roi = ctx.graph.initializer(`${ctx.node.path}/roi`, new Float32Array(0), [0]);
  const sc = ctx.graph.initializer(`${ctx.node.path}/scales`, Float32Array.from(scales), [
    scales.length,
  ]);
  const attrs: Record<string, Attr> =
    mode === 'nearest'
      ? {
          mode: string('nearest'),
          coordinate_transformation_mode: string('asymmetric'),
          nearest_mode: string('floor'),
        }
      : { mode: string('linear'), coordinate_transformation_mode: string('half_pixel') };
  return ctx.op('Resize', [x, roi, sc], attrs, output);
}

/** Upsampling, zero padding and cropping of the conv family. */
export const resizeEmitters = {
  upSampling1d: {
    emit: (c, inputs, ctx) => [
      resize(ctx, only(inputs), [1, c.size, 1], 'nearest', ctx.outputName()),
    ],
  } satisfies Emitter<'upSampling1d'>,

  upSampling2d: {
    emit(c, inputs, ctx) {
      const [sh, sw] = pair(c.size);
      if (c.interpolation === 'nearest')
        return [resize(ctx, only(inputs), [1, sh, sw, 1], 'nearest', ctx.outputName())];
      // Bilinear on channels-first (onnxruntime's linear Resize scales the last two axes), on
      // floats: an int32 input is cast there and back (truncating, as tfjs's cast does).
      const ints32 = ctx.node.inputs[0]?.dtype === 'int32';
      let x = toNchw(ctx, only(inputs), 2);
      if (ints32) x = ctx.op('Cast', [x], { to: int(FLOAT) });
      const y = toNhwc(
        ctx,
        resize(ctx, x, [1, 1, sh, sw], 'linear'),
        2,
        ints32 ? undefined : ctx.outputName(),
      );
      return [ints32 ? ctx.op('Cast', [y], { to: int(INT32) }, ctx.outputName()) : y];
    },
  } satisfies Emitter<'upSampling2d'>,

  zeroPadding1d: {
    emit: (c, inputs, ctx) => [zeroPad(ctx, only(inputs), sides(c.padding, 1))],
  } satisfies Emitter<'zeroPadding1d'>,

  zeroPadding2d: {
    emit: (c, inputs, ctx) => [zeroPad(ctx, only(inputs), sides(c.padding, 2))],
  } satisfies Emitter<'zeroPadding2d'>,

  cropping1d: {
    emit: (c, inputs, ctx) => [crop(ctx, only(inputs), sides(c.cropping, 1))],
  } satisfies Emitter<'cropping1d'>,

  cropping2d: {
    emit: (c, inputs, ctx) => [crop(ctx, only(inputs), sides(c.cropping, 2))],
  } satisfies Emitter<'cropping2d'>,
};
