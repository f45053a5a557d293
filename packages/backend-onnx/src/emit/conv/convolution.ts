import type { Activation } from '@netspec/spec';
import { ExportError } from '../../errors.js';
import { int, ints } from '../../graph/attributes.js';
import { emitActivation, isLinear } from '../activations.js';
import type { EmitContext, Emitter } from '../kind.js';
import { only, padAttrs, pair, toNchw, toNhwc } from './layout.js';

type Padding = 'valid' | 'same';

/** The Keras shape of weight `name`. */
function shapeOf(ctx: EmitContext, name: string): readonly number[] {
  const param = ctx.node.params.find((p) => p.name === name);
  if (!param) throw new ExportError(`${ctx.node.path}: the layer has no weight "${name}"`);
  return param.shape;
}

/**
 * A Keras kernel [...k, a, b] (spatial axes first) as an ONNX weight [b, a, ...k], added as the
 * initializer `<path>.<name>`: conv [...k, in/groups, out] -> [out, in/groups, ...k], transposed
 * conv [...k, filters, in] -> [in, filters, ...k].
 */
function kernelOf(ctx: EmitContext, name: string): string {
  const data = ctx.weightData(name);
  const dims = shapeOf(ctx, name);
  const k = dims.slice(0, -2);
  const [a, b] = dims.slice(-2) as [number, number];
  const taps = k.reduce((p, d) => p * d, 1);
  const out = new Float32Array(data.length);
  // Keras index (t * a + i) * b + j, ONNX (j * a + i) * taps + t
  for (let t = 0; t < taps; t++) {
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) out[(j * a + i) * taps + t] = data[(t * a + i) * b + j] as number;
    }
  }
  return ctx.graph.initializer(`${ctx.node.path}.${name}`, out, [b, a, ...k]);
}

/** Back to channels-last, then the activation; the last node writes the layer's output. */
function finish(ctx: EmitContext, y: string, n: 1 | 2, activation: Activation): string {
  if (isLinear(activation)) return toNhwc(ctx, y, n, ctx.outputName());
  return emitActivation(ctx, toNhwc(ctx, y, n), activation, ctx.outputName());
}

interface ConvWindow {
  kernel: number[];
  strides: number[];
  dilation: number[];
}

/** The Conv attributes of a Keras window with `valid` / `same` padding. */
function convAttrs(ctx: EmitContext, n: 1 | 2, w: ConvWindow, padding: Padding, group: number) {
  const spans = w.kernel.map((k, i) => (k - 1) * (w.dilation[i] ?? 1) + 1);
  return {
    kernel_shape: ints(w.kernel),
    strides: ints(w.strides),
    dilations: ints(w.dilation),
    group: int(group),
    ...padAttrs(ctx, n, padding, spans, w.strides),
  };
}

const window2d = (c: {
  kernelSize: number | readonly [number, number];
  strides: number | readonly [number, number];
  dilationRate: number | readonly [number, number];
}): ConvWindow => ({
  kernel: pair(c.kernelSize),
  strides: pair(c.strides),
  dilation: pair(c.dilationRate),
});

/** A Conv on the channels-first input, with the bias when the layer has one. */
function conv(
  ctx: EmitContext,
  x: string,
  weight: string,
  useBias: boolean,
  attrs: ReturnType<typeof convAttrs>,
): string {
  return ctx.op('Conv', [x, weight, ...(useBias ? [ctx.weight('bias')] : [])], attrs);
}

/**
 * One axis of a transposed convolution: ConvTranspose's pads and output_padding that crop its
 * full result (n-1)*s + span as Keras (TF's conv_transpose) places the output. The excess of
 * the full result over the output does not depend on n.
 */
function transposedAxis(
  k: number,
  s: number,
  d: number,
  padding: Padding,
  outputPadding: number | null,
): { begin: number; end: number; extra: number } {
  const span = (k - 1) * d + 1;
  // n = 1: full = span
  let out: number;
  if (outputPadding === null) out = padding === 'valid' ? s + Math.max(span - s, 0) : s;
  else out = span - 2 * (padding === 'same' ? Math.floor(span / 2) : 0) + outputPadding;
  const excess = span - out;
  const begin = padding === 'same' ? Math.floor(Math.max(excess, 0) / 2) : 0;
  const end = excess - begin;
  return end >= 0 ? { begin, end, extra: 0 } : { begin, end: 0, extra: -end };
}

function convTranspose(
  ctx: EmitContext,
  x: string,
  n: 1 | 2,
  w: ConvWindow,
  c: { padding: Padding; useBias: boolean; activation: Activation },
  outputPadding: (number | null)[],
): string {
  const axes = w.kernel.map((k, i) =>
    transposedAxis(k, w.strides[i] ?? 1, w.dilation[i] ?? 1, c.padding, outputPadding[i] ?? null),
  );
  const attrs = {
    kernel_shape: ints(w.kernel),
    strides: ints(w.strides),
    dilations: ints(w.dilation),
    pads: ints([...axes.map((a) => a.begin), ...axes.map((a) => a.end)]),
    ...(axes.some((a) => a.extra > 0) ? { output_padding: ints(axes.map((a) => a.extra)) } : {}),
  };
  // Keras [...k, filters, in] -> ONNX [in, filters, ...k]
  const weight = kernelOf(ctx, 'kernel');
  const inputs = [toNchw(ctx, x, n), weight, ...(c.useBias ? [ctx.weight('bias')] : [])];
  return finish(ctx, ctx.op('ConvTranspose', inputs, attrs), n, c.activation);
}

/** The convolutions of the conv family, on channels-first between two Transposes. */
export const convolutionEmitters = {
  conv1d: {
    emit(c, inputs, ctx) {
      const w = { kernel: [c.kernelSize], strides: [c.strides], dilation: [c.dilationRate] };
      // causal: (k-1)*d zeros before the first step, none after
      const attrs =
        c.padding === 'causal'
          ? {
              ...convAttrs(ctx, 1, w, 'valid', c.groups),
              pads: ints([(c.kernelSize - 1) * c.dilationRate, 0]),
            }
          : convAttrs(ctx, 1, w, c.padding, c.groups);
      const y = conv(ctx, toNchw(ctx, only(inputs), 1), kernelOf(ctx, 'kernel'), c.useBias, attrs);
      return [finish(ctx, y, 1, c.activation)];
    },
  } satisfies Emitter<'conv1d'>,

  conv2d: {
    emit(c, inputs, ctx) {
      const attrs = convAttrs(ctx, 2, window2d(c), c.padding, c.groups);
      const y = conv(ctx, toNchw(ctx, only(inputs), 2), kernelOf(ctx, 'kernel'), c.useBias, attrs);
      return [finish(ctx, y, 2, c.activation)];
    },
  } satisfies Emitter<'conv2d'>,

  conv1dTranspose: {
    emit(c, inputs, ctx) {
      const w = { kernel: [c.kernelSize], strides: [c.strides], dilation: [c.dilationRate] };
      return [convTranspose(ctx, only(inputs), 1, w, c, [c.outputPadding ?? null])];
    },
  } satisfies Emitter<'conv1dTranspose'>,

  conv2dTranspose: {
    emit(c, inputs, ctx) {
      const op = c.outputPadding === undefined ? [null, null] : pair(c.outputPadding);
      return [convTranspose(ctx, only(inputs), 2, window2d(c), c, op)];
    },
  } satisfies Emitter<'conv2dTranspose'>,

  depthwiseConv2d: {
    // Conv with group = channels: [kh, kw, in, m] -> [in*m, 1, kh, kw], output channel c*m + k
    emit(c, inputs, ctx) {
      const channels = ctx.node.inputs[0]?.shape.at(-1) as number;
      const attrs = convAttrs(ctx, 2, window2d(c), c.padding, channels);
      const weight = depthwiseKernel(ctx);
      const y = conv(ctx, toNchw(ctx, only(inputs), 2), weight, c.useBias, attrs);
      return [finish(ctx, y, 2, c.activation)];
    },
  } satisfies Emitter<'depthwiseConv2d'>,

  separableConv2d: {
    // The depthwise step takes the strides and dilation, the 1x1 pointwise step the bias.
    emit(c, inputs, ctx) {
      const channels = ctx.node.inputs[0]?.shape.at(-1) as number;
      const attrs = convAttrs(ctx, 2, window2d(c), c.padding, channels);
      const depthwise = conv(ctx, toNchw(ctx, only(inputs), 2), depthwiseKernel(ctx), false, attrs);
      const one = { kernel: [1, 1], strides: [1, 1], dilation: [1, 1] };
      const pointwise = kernelOf(ctx, 'pointwise_kernel');
      const y = conv(ctx, depthwise, pointwise, c.useBias, convAttrs(ctx, 2, one, 'valid', 1));
      return [finish(ctx, y, 2, c.activation)];
    },
  } satisfies Emitter<'separableConv2d'>,
};

/** A Keras depthwise kernel [kh, kw, in, m] as ONNX [in*m, 1, kh, kw]. */
function depthwiseKernel(ctx: EmitContext): string {
  const [kh, kw, channels, m] = shapeOf(ctx, 'depthwise_kernel') as [
    number,
    number,
    number,
    number,
  ];
  const data = ctx.weightData('depthwise_kernel');
  const taps = kh * kw;
  const out = new Float32Array(data.length);
  // Keras (t * in + ch) * m + k, ONNX (ch * m + k) * taps + t
  for (let t = 0; t < taps; t++) {
    for (let ch = 0; ch < channels; ch++) {
      for (let k = 0; k < m; k++)
        out[(ch * m + k) * taps + t] = data[(t * channels + ch) * m + k] as number;
    }
  }
  return ctx.graph.initializer(`${ctx.node.path}.depthwise_kernel`, out, [channels * m, 1, kh, kw]);
}
