import { z } from 'zod';
import { Axis, num, PositiveInt } from '../schema/primitives.js';
import { Constraint, Initializer, Regularizer } from '../schema/weights.js';
import { defineLayer, LayerError, type ParamShape, param, type TensorType } from './kind.js';
import { featureAxis, formatShape, knownDim, single } from './shape.js';

/** An axis (batch is 0, negatives count from the end) or several, as LayerNormalization takes. */
const Axes = z.union([Axis, z.array(Axis).min(1, { error: 'at least one axis' })], {
  error: 'an integer axis or an array of axes',
});
const Epsilon = num({ min: 0 });

/** The learned shift (beta) and scale (gamma) that Keras's normalization layers share. */
const affine = () => ({
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  betaInitializer: Initializer.default('zeros'),
  gammaInitializer: Initializer.default('ones'),
  betaRegularizer: Regularizer.optional(),
  gammaRegularizer: Regularizer.optional(),
  betaConstraint: Constraint.optional(),
  gammaConstraint: Constraint.optional(),
});

/** gamma then beta, in the order Keras creates them. */
const affineParams = (c: { center: boolean; scale: boolean }, shape: number[]): ParamShape[] => [
  ...(c.scale ? [param('gamma', shape)] : []),
  ...(c.center ? [param('beta', shape)] : []),
];

/** Any input with at least one axis after the batch. */
const anyRank = (inputs: TensorType[]) => single(inputs, [2, Number.POSITIVE_INFINITY]);

/** The size of the one normalized axis; it sizes the weights, so it must be known. */
function channels(x: TensorType, axis: number, what: string): number {
  return knownDim(x, featureAxis(axis, x.shape), `to size ${what}`);
}

/** Sizes of the normalized axes in the order given (Keras's weight shape); no axis twice. */
function normalizedDims(x: TensorType, axis: number | number[], what: string): number[] {
  const axes = typeof axis === 'number' ? [axis] : axis;
  const field = (i: number) => (typeof axis === 'number' ? 'axis' : `axis/${i}`);
  const seen = new Set<number>();
  return axes.map((a, i) => {
    const idx = featureAxis(a, x.shape, field(i));
    if (seen.has(idx)) {
      throw new LayerError(`expected distinct axes, got axis ${idx + 1} twice (as ${a})`, field(i));
    }
    seen.add(idx);
    return knownDim(x, idx, `to size ${what}`);
  });
}

export const batchNorm = defineLayer({
  type: 'batchNorm',
  family: 'normalization',
  doc: 'Normalizes each channel by batch statistics while training, moving averages at inference.',
  fields: {
    axis: Axis.default(-1),
    momentum: num({ min: 0, max: 1 }).default(0.99),
    epsilon: Epsilon.default(1e-3),
    ...affine(),
    movingMeanInitializer: Initializer.default('zeros'),
    movingVarianceInitializer: Initializer.default('ones'),
  },
  infer(c, inputs) {
    const x = anyRank(inputs);
    const n = channels(x, c.axis, 'gamma and the moving statistics');
    return {
      outputs: [{ shape: x.shape, dtype: 'float32' }],
      // The moving statistics are updated by the layer, never by the optimizer.
      params: [
        ...affineParams(c, [n]),
        param('moving_mean', [n], false),
        param('moving_variance', [n], false),
      ],
    };
  },
});

export const layerNorm = defineLayer({
  type: 'layerNorm',
  family: 'normalization',
  doc: 'Normalizes each sample over `axis` (the last by default) with a learned gamma and beta.',
  fields: { axis: Axes.default(-1), epsilon: Epsilon.default(1e-3), ...affine() },
  infer(c, inputs) {
    const x = anyRank(inputs);
    const dims = normalizedDims(x, c.axis, 'gamma and beta');
    return { outputs: [{ shape: x.shape, dtype: 'float32' }], params: affineParams(c, dims) };
  },
});

export const groupNorm = defineLayer({
  type: 'groupNorm',
  family: 'normalization',
  doc: 'Normalizes each sample over groups of channels; gamma and beta per channel.',
  fields: {
    groups: PositiveInt.default(32),
    axis: Axis.default(-1),
    epsilon: Epsilon.default(1e-3),
    ...affine(),
  },
  infer(c, inputs) {
    const x = anyRank(inputs);
    const n = channels(x, c.axis, 'gamma and beta');
    if (c.groups > n || n % c.groups !== 0) {
      throw new LayerError(
        `expected groups to divide the ${n} channels of input ${formatShape(x.shape)}, got ${c.groups}`,
        'groups',
      );
    }
    return { outputs: [{ shape: x.shape, dtype: 'float32' }], params: affineParams(c, [n]) };
  },
});

export const rmsNorm = defineLayer({
  type: 'rmsNorm',
  family: 'normalization',
  doc: 'Divides by the root mean square over `axis` and multiplies by a learned scale (no centering).',
  fields: { axis: Axes.default(-1), epsilon: Epsilon.default(1e-6) },
  infer(c, inputs) {
    const x = anyRank(inputs);
    const dims = normalizedDims(x, c.axis, 'scale');
    // Keras 3 RMSNormalization names its one weight `scale`, initialized to ones.
    return { outputs: [{ shape: x.shape, dtype: 'float32' }], params: [param('scale', dims)] };
  },
});

/** The normalization family: one entry per layer kind (DESIGN.md). */
export const normalizationLayers = { batchNorm, layerNorm, groupNorm, rmsNorm };
