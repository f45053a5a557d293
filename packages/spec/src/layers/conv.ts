import { z } from 'zod';
import { Activation } from '../schema/activation.js';
import {
  IntOrPair,
  NonNegativeInt,
  Padding,
  PositiveInt,
  type Shape,
} from '../schema/primitives.js';
import { Constraint, Initializer, kernelAndBias, Regularizer } from '../schema/weights.js';
import { defineLayer, type Inferred, LayerError, param, type TensorType } from './kind.js';
import {
  convLength,
  deconvLength,
  formatShape,
  knownDim,
  type PaddingMode,
  pair,
  positiveDims,
  single,
} from './shape.js';

/** How each spatial rank names its axes in rank errors. */
export const AXES = {
  1: '(batch, steps, channels)',
  2: '(batch, height, width, channels)',
} as const;

type Pair = number | readonly [number, number];

/** A convolution window, one entry per spatial axis. */
interface Window {
  kernel: number[];
  strides: number[];
  dilation: number[];
}

const list = (v: readonly number[]) => `[${v.join(', ')}]`;
const bias = (useBias: boolean, n: number) => (useBias ? [param('bias', [n])] : []);

/** Keras 1-D layers take plain integers; wrap them as one-axis windows. */
const window1d = (c: { kernelSize: number; strides: number; dilationRate: number }): Window => ({
  kernel: [c.kernelSize],
  strides: [c.strides],
  dilation: [c.dilationRate],
});

/** Keras accepts `3` for `[3, 3]`; expand to one entry per axis. */
const window2d = (c: { kernelSize: Pair; strides: Pair; dilationRate: Pair }): Window => ({
  kernel: pair(c.kernelSize),
  strides: pair(c.strides),
  dilation: pair(c.dilationRate),
});

/** The input of an n-D convolution and its channel count, checked as Keras checks them. */
function open(inputs: TensorType[], n: 1 | 2, w: Window) {
  const x = single(inputs, n + 2, AXES[n]);
  // Keras rejects the combination outright (TF has no kernel for it).
  if (w.strides.some((s) => s > 1) && w.dilation.some((d) => d > 1)) {
    throw new LayerError(
      `expected strides of 1 when dilationRate > 1 (Keras allows only one of them above 1), got strides ${list(w.strides)} and dilationRate ${list(w.dilation)}`,
      'strides',
    );
  }
  return { x, channels: knownDim(x, -1, 'to size the kernel') };
}

/** Output shape of a convolution: spatial axes windowed, last axis `channels`. */
function convShape(x: TensorType, w: Window, padding: PaddingMode, channels: number): Shape {
  const spatial = x.shape
    .slice(0, -1)
    .map((d, i) => convLength(d, w.kernel[i] ?? 1, w.strides[i] ?? 1, padding, w.dilation[i] ?? 1));
  return positiveDims([...spatial, channels], x.shape, 'kernelSize');
}

interface Grouped {
  filters: number;
  groups: number;
  padding: PaddingMode;
  useBias: boolean;
}

/** Conv1D/Conv2D: kernel [...k, in/groups, filters], bias [filters]. */
function groupedConv(c: Grouped, inputs: TensorType[], n: 1 | 2, w: Window): Inferred {
  const { x, channels } = open(inputs, n, w);
  if (c.filters % c.groups !== 0) {
    throw new LayerError(
      `expected filters divisible by groups (${c.groups}), got filters ${c.filters}`,
      'groups',
    );
  }
  if (channels % c.groups !== 0) {
    throw new LayerError(
      `expected input channels divisible by groups (${c.groups}), got ${channels} channels in ${formatShape(x.shape)}`,
      'groups',
    );
  }
  return {
    outputs: [{ shape: convShape(x, w, c.padding, c.filters), dtype: 'float32' }],
    params: [
      param('kernel', [...w.kernel, channels / c.groups, c.filters]),
      ...bias(c.useBias, c.filters),
    ],
  };
}

interface Transposed {
  filters: number;
  padding: 'valid' | 'same';
  outputPadding?: Pair | undefined;
  useBias: boolean;
}

/** Conv1DTranspose/Conv2DTranspose: kernel [...k, filters, in] (Keras order), bias [filters]. */
function transposedConv(c: Transposed, inputs: TensorType[], n: 1 | 2, w: Window): Inferred {
  const { x, channels } = open(inputs, n, w);
  const outPad = c.outputPadding === undefined ? null : pair(c.outputPadding).slice(0, n);
  if (outPad?.some((p, i) => p >= (w.strides[i] ?? 1))) {
    throw new LayerError(
      `expected outputPadding < strides on every axis, got outputPadding ${list(outPad)} and strides ${list(w.strides)}`,
      'outputPadding',
    );
  }
  const spatial = x.shape.slice(0, -1).map((d, i) => {
    const [k, s, dil] = [w.kernel[i] ?? 1, w.strides[i] ?? 1, w.dilation[i] ?? 1];
    return deconvLength(d, k, s, c.padding, dil, outPad?.[i] ?? null);
  });
  const shape = positiveDims([...spatial, c.filters], x.shape, 'kernelSize');
  return {
    outputs: [{ shape, dtype: 'float32' }],
    params: [param('kernel', [...w.kernel, c.filters, channels]), ...bias(c.useBias, c.filters)],
  };
}

/** Depthwise, pointwise and bias options with Keras's names and defaults. */
const depthwiseFields = () => ({
  depthwiseInitializer: Initializer.default('glorotUniform'),
  depthwiseRegularizer: Regularizer.optional(),
  depthwiseConstraint: Constraint.optional(),
});

const pointwiseFields = () => ({
  pointwiseInitializer: Initializer.default('glorotUniform'),
  pointwiseRegularizer: Regularizer.optional(),
  pointwiseConstraint: Constraint.optional(),
});

const biasFields = () => ({
  useBias: z.boolean().default(true),
  biasInitializer: Initializer.default('zeros'),
  biasRegularizer: Regularizer.optional(),
  activityRegularizer: Regularizer.optional(),
  biasConstraint: Constraint.optional(),
});

const window2dFields = () => ({
  kernelSize: IntOrPair(),
  strides: IntOrPair().default(1),
  padding: Padding.default('valid'),
  dilationRate: IntOrPair().default(1),
});

export const conv1d = defineLayer({
  type: 'conv1d',
  family: 'conv',
  doc: 'Temporal convolution over (steps, channels); causal padding for autoregressive models.',
  fields: {
    filters: PositiveInt,
    kernelSize: PositiveInt,
    strides: PositiveInt.default(1),
    padding: z.enum(['valid', 'same', 'causal']).default('valid'),
    dilationRate: PositiveInt.default(1),
    groups: PositiveInt.default(1),
    activation: Activation.default('linear'),
    ...kernelAndBias(),
  },
  infer: (c, inputs) => groupedConv(c, inputs, 1, window1d(c)),
});

export const conv2d = defineLayer({
  type: 'conv2d',
  family: 'conv',
  doc: 'Spatial convolution over (height, width, channels).',
  fields: {
    filters: PositiveInt,
    ...window2dFields(),
    groups: PositiveInt.default(1),
    activation: Activation.default('linear'),
    ...kernelAndBias(),
  },
  infer: (c, inputs) => groupedConv(c, inputs, 2, window2d(c)),
});

export const conv1dTranspose = defineLayer({
  type: 'conv1dTranspose',
  family: 'conv',
  doc: 'Transposed temporal convolution (the gradient of conv1d): upsamples steps by strides.',
  fields: {
    filters: PositiveInt,
    kernelSize: PositiveInt,
    strides: PositiveInt.default(1),
    padding: Padding.default('valid'),
    /** Extra steps at the end; must be below strides (Keras). */
    outputPadding: NonNegativeInt.optional(),
    dilationRate: PositiveInt.default(1),
    activation: Activation.default('linear'),
    ...kernelAndBias(),
  },
  infer: (c, inputs) => transposedConv(c, inputs, 1, window1d(c)),
});

export const conv2dTranspose = defineLayer({
  type: 'conv2dTranspose',
  family: 'conv',
  doc: 'Transposed spatial convolution (the gradient of conv2d): upsamples by strides.',
  fields: {
    filters: PositiveInt,
    ...window2dFields(),
    /** Extra rows/columns at the end; each must be below its stride (Keras). */
    outputPadding: IntOrPair(NonNegativeInt).optional(),
    activation: Activation.default('linear'),
    ...kernelAndBias(),
  },
  infer: (c, inputs) => transposedConv(c, inputs, 2, window2d(c)),
});

export const depthwiseConv2d = defineLayer({
  type: 'depthwiseConv2d',
  family: 'conv',
  doc: 'Convolves each channel on its own, depthMultiplier filters per channel.',
  fields: {
    ...window2dFields(),
    depthMultiplier: PositiveInt.default(1),
    activation: Activation.default('linear'),
    ...depthwiseFields(),
    ...biasFields(),
  },
  infer(c, inputs) {
    const w = window2d(c);
    const { x, channels } = open(inputs, 2, w);
    const out = channels * c.depthMultiplier;
    return {
      outputs: [{ shape: convShape(x, w, c.padding, out), dtype: 'float32' }],
      // tf.keras and tfjs name it depthwise_kernel (Keras 3 renamed it kernel).
      params: [
        param('depthwise_kernel', [...w.kernel, channels, c.depthMultiplier]),
        ...bias(c.useBias, out),
      ],
    };
  },
});

export const separableConv2d = defineLayer({
  type: 'separableConv2d',
  family: 'conv',
  doc: 'Depthwise convolution followed by a 1x1 pointwise convolution to filters channels.',
  fields: {
    filters: PositiveInt,
    ...window2dFields(),
    depthMultiplier: PositiveInt.default(1),
    activation: Activation.default('linear'),
    ...depthwiseFields(),
    ...pointwiseFields(),
    ...biasFields(),
  },
  infer(c, inputs) {
    const w = window2d(c);
    const { x, channels } = open(inputs, 2, w);
    return {
      outputs: [{ shape: convShape(x, w, c.padding, c.filters), dtype: 'float32' }],
      params: [
        param('depthwise_kernel', [...w.kernel, channels, c.depthMultiplier]),
        param('pointwise_kernel', [1, 1, channels * c.depthMultiplier, c.filters]),
        ...bias(c.useBias, c.filters),
      ],
    };
  },
});

/** Applies `f` to the spatial axes of a rank-(n+2) input; channels pass through. */
function spatial(
  inputs: TensorType[],
  n: 1 | 2,
  f: (d: number, axis: number) => number,
  field?: string,
): Inferred {
  const x = single(inputs, n + 2, AXES[n]);
  const shape = x.shape.map((d, i) => (i >= n || d === null ? d : f(d, i)));
  return {
    outputs: [{ shape: field ? positiveDims(shape, x.shape, field) : shape, dtype: x.dtype }],
  };
}

type Sides = readonly [number, number];
const beforeAfter = () => z.tuple([NonNegativeInt, NonNegativeInt]);
/** `p` or `[before, after]` along one axis. */
const Sides1d = () =>
  z.union([NonNegativeInt, beforeAfter()], { error: 'a non-negative integer or [before, after]' });
/** `p`, `[h, w]` or `[[top, bottom], [left, right]]`, as Keras accepts. */
const Sides2d = () =>
  z.union([NonNegativeInt, beforeAfter(), z.tuple([beforeAfter(), beforeAfter()])], {
    error: 'a non-negative integer, [h, w] or [[top, bottom], [left, right]]',
  });

/** Normalizes any Keras padding/cropping form to [before, after] per spatial axis. */
function sides(v: number | Sides | readonly [Sides, Sides], n: 1 | 2): Sides[] {
  if (typeof v === 'number') return Array.from({ length: n }, () => [v, v] as const);
  if (n === 1) return [v as Sides];
  return (v as readonly (number | Sides)[]).map((s) => pair(s));
}

const total = (s: Sides) => s[0] + s[1];

export const upSampling1d = defineLayer({
  type: 'upSampling1d',
  family: 'conv',
  doc: 'Repeats each step size times: (T, C) -> (T*size, C).',
  fields: { size: PositiveInt.default(2) },
  arity: { dtype: 'any' },
  infer: (c, inputs) => spatial(inputs, 1, (d) => d * c.size),
});

export const upSampling2d = defineLayer({
  type: 'upSampling2d',
  family: 'conv',
  doc: 'Upsamples rows and columns by size, nearest or bilinear.',
  fields: {
    size: IntOrPair().default(2),
    interpolation: z.enum(['nearest', 'bilinear']).default('nearest'),
  },
  arity: { dtype: 'any' },
  infer: (c, inputs) => spatial(inputs, 2, (d, i) => d * (pair(c.size)[i] ?? 1)),
});

export const zeroPadding1d = defineLayer({
  type: 'zeroPadding1d',
  family: 'conv',
  doc: 'Pads the steps axis with zeros: padding or [before, after].',
  fields: { padding: Sides1d().default(1) },
  arity: { dtype: 'any' },
  infer: (c, inputs) => spatial(inputs, 1, (d) => d + total(sides(c.padding, 1)[0] as Sides)),
});

export const zeroPadding2d = defineLayer({
  type: 'zeroPadding2d',
  family: 'conv',
  doc: 'Pads rows and columns with zeros: p, [h, w] or [[top, bottom], [left, right]].',
  fields: { padding: Sides2d().default(1) },
  arity: { dtype: 'any' },
  infer: (c, inputs) => spatial(inputs, 2, (d, i) => d + total(sides(c.padding, 2)[i] as Sides)),
});

export const cropping1d = defineLayer({
  type: 'cropping1d',
  family: 'conv',
  doc: 'Crops the steps axis: cropping or [before, after] (Keras default 1 each side).',
  fields: { cropping: Sides1d().default(1) },
  arity: { dtype: 'any' },
  infer: (c, inputs) =>
    spatial(inputs, 1, (d) => d - total(sides(c.cropping, 1)[0] as Sides), 'cropping'),
});

export const cropping2d = defineLayer({
  type: 'cropping2d',
  family: 'conv',
  doc: 'Crops rows and columns: c, [h, w] or [[top, bottom], [left, right]].',
  fields: { cropping: Sides2d().default(0) },
  arity: { dtype: 'any' },
  infer: (c, inputs) =>
    spatial(inputs, 2, (d, i) => d - total(sides(c.cropping, 2)[i] as Sides), 'cropping'),
});

/** The conv family: one entry per layer kind (DESIGN.md). */
export const convLayers = {
  conv1d,
  conv2d,
  conv1dTranspose,
  conv2dTranspose,
  depthwiseConv2d,
  separableConv2d,
  upSampling1d,
  upSampling2d,
  zeroPadding1d,
  zeroPadding2d,
  cropping1d,
  cropping2d,
};
