// Test support: the random convolution and pooling cases of the kernel tests (conv2d and
// depthwise backprop, MaxPoolGrad, AvgPoolGrad), drawn from a seed.
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { randomValues } from './cross-backend.js';

export type Shape4 = [number, number, number, number];
export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
export type Rounding = 'floor' | 'ceil' | 'round';

/** The relative error the kernel tests allow against their reference. */
export const TOLERANCE = 1e-4;

/** An element of `xs` drawn with `rng`. */
export const pick = <T>(rng: Rng, xs: T[]): T => xs[rng.int(xs.length)] as T;

/** 'same', 'valid', a number or explicit padding, with sides in [0, sides). */
export function randomPad(rng: Rng, sides: number): Pad {
  const side = () => rng.int(sides);
  return pick<Pad>(rng, [
    'same',
    'valid',
    side(),
    [
      [0, 0],
      [side(), side()],
      [side(), side()],
      [0, 0],
    ],
  ]);
}

/** A convolution case; depthwise ones have filter [KH, KW, C, multiplier]. */
export interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
  round?: Rounding;
  format?: 'NCHW';
}

/** The output shape of `c` (a depthwise convolution with `depthwise`). */
export const convOutShape = (c: ConvCase, depthwise = false) =>
  tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations,
    c.pad,
    c.round,
    depthwise,
  ).outShape;

/**
 * The strides, padding, data format and rounding attributes of `c`; NCHW's explicit padding lists
 * the axes in its own order.
 */
export function convAttrs(c: ConvCase) {
  const p = c.pad;
  const pad = c.format === 'NCHW' && Array.isArray(p) ? [p[0], p[3], p[1], p[2]] : p;
  return { strides: c.strides, pad, dataFormat: c.format ?? 'NHWC', dimRoundingMode: c.round };
}

/**
 * Random legal convolution cases: tfjs wants strides or dilations to be 1, and at least one
 * output. Depthwise cases have a channel multiplier of 1-2 and dilate rows by 2 instead of columns.
 */
export function convCases(count: number, seed: number, dilate: boolean, depthwise = false) {
  const rng = new Rng(seed);
  const out: ConvCase[] = [];
  while (out.length < count) {
    const filter: Shape4 = [
      1 + rng.int(5),
      1 + rng.int(5),
      1 + rng.int(8),
      1 + rng.int(depthwise ? 2 : 8),
    ];
    let dilations: [number, number] = [1, 1];
    if (dilate) dilations = depthwise ? [2, 1 + rng.int(2)] : [1 + rng.int(2), 2];
    const strides: [number, number] = dilate ? [1, 1] : [1 + rng.int(3), 1 + rng.int(3)];
    const x: Shape4 = [pick(rng, [1, 1, 2, 3]), 4 + rng.int(9), 4 + rng.int(9), filter[2]];
    const pad = randomPad(rng, 3);
    const round =
      typeof pad === 'number'
        ? pick(rng, [undefined, 'floor', 'ceil', 'round'] as const)
        : undefined;
    const c: ConvCase = { x, filter, strides, dilations, pad, ...(round ? { round } : {}) };
    if (convOutShape(c, depthwise).every((n) => n > 0)) out.push(c);
  }
  return out;
}

/** A pooling case. */
export interface PoolCase {
  x: Shape4;
  filterSize: [number, number];
  strides: [number, number];
  pad: Pad;
  round?: Rounding;
}

/** The pooling geometry of `c`. */
export const poolInfo = (c: PoolCase) =>
  tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad, c.round);

/**
 * One random pooling case drawn with `rng` (windows up to 4, strides up to 3, paddings up to 1),
 * with `channels` drawing the channel count.
 */
export function randomPoolCase(rng: Rng, channels: () => number): PoolCase {
  const filterSize: [number, number] = [1 + rng.int(4), 1 + rng.int(4)];
  const strides: [number, number] = [1 + rng.int(3), 1 + rng.int(3)];
  const x: Shape4 = [pick(rng, [1, 2, 3]), 3 + rng.int(8), 3 + rng.int(8), channels()];
  return { x, filterSize, strides, pad: randomPad(rng, 2) };
}

/** A tensor of `shape` with values in [-1, 1) from `seed` (see randomValues). */
export const randomTensor = (shape: number[], seed: number): tf.Tensor =>
  tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
