import { z } from 'zod';
import { IntOrPair, Padding, PositiveInt } from '../schema/primitives.js';
import { AXES } from './conv.js';
import { defineLayer, type Inferred, type TensorType } from './kind.js';
import { convLength, type PaddingMode, pair, positiveDims, single } from './shape.js';

/** Windows slide over the spatial axes; channels pass through. */
function pool(
  inputs: TensorType[],
  n: 1 | 2,
  size: number[],
  strides: number[],
  padding: PaddingMode,
): Inferred {
  const x = single(inputs, n + 2, AXES[n]);
  const shape = x.shape.map((d, i) =>
    i >= n ? d : convLength(d, size[i] ?? 1, strides[i] ?? 1, padding),
  );
  return { outputs: [{ shape: positiveDims(shape, x.shape, 'poolSize'), dtype: x.dtype }] };
}

const pool1d = <T extends string>(type: T, doc: string) =>
  defineLayer({
    type,
    family: 'pooling',
    doc,
    fields: {
      poolSize: PositiveInt.default(2),
      /** Keras's default is the pool size (non-overlapping windows). */
      strides: PositiveInt.optional(),
      padding: Padding.default('valid'),
    },
    infer: (c, inputs) => pool(inputs, 1, [c.poolSize], [c.strides ?? c.poolSize], c.padding),
  });

const pool2d = <T extends string>(type: T, doc: string) =>
  defineLayer({
    type,
    family: 'pooling',
    doc,
    fields: {
      poolSize: IntOrPair().default(2),
      /** Keras's default is the pool size (non-overlapping windows). */
      strides: IntOrPair().optional(),
      padding: Padding.default('valid'),
    },
    infer: (c, inputs) =>
      pool(inputs, 2, pair(c.poolSize), pair(c.strides ?? c.poolSize), c.padding),
  });

/** Reduces every spatial axis; keepDims leaves them as size 1 (Keras keepdims). */
const global = <T extends string>(type: T, n: 1 | 2, doc: string) =>
  defineLayer({
    type,
    family: 'pooling',
    doc,
    fields: { keepDims: z.boolean().default(false) },
    infer(c, inputs) {
      const x = single(inputs, n + 2, AXES[n]);
      const channels = x.shape[n] ?? null;
      const shape = c.keepDims ? [...Array<number>(n).fill(1), channels] : [channels];
      return { outputs: [{ shape, dtype: x.dtype }] };
    },
  });

export const maxPool1d = pool1d('maxPool1d', 'Max over windows of poolSize steps.');
export const maxPool2d = pool2d('maxPool2d', 'Max over poolSize windows of rows and columns.');
export const avgPool1d = pool1d('avgPool1d', 'Mean over windows of poolSize steps.');
export const avgPool2d = pool2d('avgPool2d', 'Mean over poolSize windows of rows and columns.');
export const globalAvgPool1d = global('globalAvgPool1d', 1, 'Mean over steps: (T, C) -> (C).');
export const globalAvgPool2d = global(
  'globalAvgPool2d',
  2,
  'Mean over rows and columns: (H, W, C) -> (C).',
);
export const globalMaxPool1d = global('globalMaxPool1d', 1, 'Max over steps: (T, C) -> (C).');
export const globalMaxPool2d = global(
  'globalMaxPool2d',
  2,
  'Max over rows and columns: (H, W, C) -> (C).',
);

/** The pooling family: one entry per layer kind (DESIGN.md). */
export const poolingLayers = {
  maxPool1d,
  maxPool2d,
  avgPool1d,
  avgPool2d,
  globalAvgPool1d,
  globalAvgPool2d,
  globalMaxPool1d,
  globalMaxPool2d,
};
