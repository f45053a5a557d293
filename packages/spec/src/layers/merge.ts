import { z } from 'zod';
import { Axis } from '../schema/primitives.js';
import { defineLayer, LayerError, type TensorType } from './kind.js';
import { broadcast, featureAxis, formatShape } from './shape.js';

const many = { min: 2, max: Number.POSITIVE_INFINITY, dtype: 'float32' } as const;

/** Elementwise merges broadcast their inputs like Keras's _Merge layers. */
function elementwise(inputs: TensorType[]) {
  let shape = (inputs[0] as TensorType).shape;
  for (const [i, x] of inputs.entries()) {
    const next = broadcast(shape, x.shape);
    if (!next) {
      throw new LayerError(
        `input ${i} has shape ${formatShape(x.shape)}, which does not match ${formatShape(shape)}`,
        `inputs/${i}`,
      );
    }
    shape = next;
  }
  return { outputs: [{ shape, dtype: 'float32' as const }] };
}

const merge = <T extends string>(
  type: T,
  doc: string,
  arity: { min: number; max: number } = many,
) =>
  defineLayer({
    type,
    family: 'merge',
    doc,
    fields: {},
    arity: { ...arity, dtype: 'float32' },
    infer: (_c, inputs) => elementwise(inputs),
  });

export const add = merge('add', 'Sums its inputs elementwise.');
export const subtract = merge('subtract', 'inputs[0] - inputs[1], elementwise.', {
  min: 2,
  max: 2,
});
export const multiply = merge('multiply', 'Multiplies its inputs elementwise.');
export const average = merge('average', 'Averages its inputs elementwise.');
export const maximum = merge('maximum', 'Elementwise maximum of its inputs.');
export const minimum = merge('minimum', 'Elementwise minimum of its inputs.');

export const concatenate = defineLayer({
  type: 'concatenate',
  family: 'merge',
  doc: 'Joins its inputs along one axis; every other axis must agree.',
  fields: { axis: Axis.default(-1) },
  arity: { ...many, dtype: 'any' },
  infer(c, inputs) {
    const first = inputs[0] as TensorType;
    const a = featureAxis(c.axis, first.shape);
    let total: number | null = 0;
    for (const [i, x] of inputs.entries()) {
      const agrees =
        x.shape.length === first.shape.length &&
        x.shape.every(
          (d, j) => j === a || d === null || first.shape[j] === null || d === first.shape[j],
        );
      if (!agrees || x.dtype !== first.dtype) {
        throw new LayerError(
          `input ${i} (${formatShape(x.shape)} ${x.dtype}) cannot be concatenated with ${formatShape(first.shape)} ${first.dtype} on axis ${c.axis}`,
          `inputs/${i}`,
        );
      }
      const d = x.shape[a] as number | null;
      total = total === null || d === null ? null : total + d;
    }
    const shape = first.shape.map((d, j) =>
      j === a ? total : (inputs.find((x) => x.shape[j] !== null)?.shape[j] ?? d),
    );
    return { outputs: [{ shape, dtype: first.dtype }] };
  },
});

export const dot = defineLayer({
  type: 'dot',
  family: 'merge',
  doc: 'Batch dot product of two tensors along the given axes (Keras Dot), optionally cosine-normalized.',
  fields: {
    axes: z.union([Axis, z.tuple([Axis, Axis])], { error: 'an axis or a pair of axes' }),
    normalize: z.boolean().default(false),
  },
  arity: { min: 2, max: 2, dtype: 'float32' },
  infer(c, inputs) {
    const [x, y] = inputs as [TensorType, TensorType];
    const [ax, ay] = typeof c.axes === 'number' ? [c.axes, c.axes] : c.axes;
    const i = featureAxis(ax, x.shape, 'axes');
    const j = featureAxis(ay, y.shape, 'axes');
    const dx = x.shape[i];
    const dy = y.shape[j];
    if (dx !== null && dy !== null && dx !== dy) {
      throw new LayerError(
        `cannot dot ${formatShape(x.shape)} axis ${ax} (${dx}) with ${formatShape(y.shape)} axis ${ay} (${dy})`,
        'axes',
      );
    }
    // Keras batch_dot: x without its axis, then y without its axis; a scalar per sample becomes (B, 1).
    const shape = [...x.shape.filter((_, k) => k !== i), ...y.shape.filter((_, k) => k !== j)];
    return { outputs: [{ shape: shape.length ? shape : [1], dtype: 'float32' }] };
  },
});

/** The merge family. */
export const mergeLayers = { add, subtract, multiply, average, maximum, minimum, concatenate, dot };
