// What the two convolution-gradient kernels (conv2d-backprop-input.ts, -filter.ts) share: their
// attribute types and the NCHW-to-NHWC conversions of their inputs and padding.
import { tf } from '../tf.js';

/** A convolution's padding attribute (the same type in both backprop kernels' attributes). */
export type ConvPad = tf.Conv2DBackpropInputAttrs['pad'];
export type ConvRounding = tf.Conv2DBackpropInputAttrs['dimRoundingMode'];

/** A backprop kernel's attributes with `dilations`, which tfjs's types omit but are honoured. */
export type WithDilations<A> = A & { dilations?: number | [number, number] };

/** An NCHW tensor as NHWC (others as they are). */
export const toNHWC = (t: tf.Tensor, format: string): tf.Tensor4D =>
  (format === 'NCHW' ? tf.transpose(t, [0, 2, 3, 1]) : t) as tf.Tensor4D;

/** NCHW explicit padding [[0,0],[0,0],rows,cols] in NHWC order [[0,0],rows,cols,[0,0]]. */
export const padToNHWC = (pad: ConvPad, format: string): ConvPad =>
  format === 'NCHW' && Array.isArray(pad) ? [pad[0], pad[2], pad[3], pad[1]] : pad;
