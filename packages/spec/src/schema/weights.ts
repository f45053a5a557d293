import { z } from 'zod';
import { Axis, num, Seed } from './primitives.js';

const seed = Seed.optional();

/** Keras initializers; a bare name uses the Keras defaults. */
export const INITIALIZER_NAMES = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'orthogonal',
  'zeros',
  'ones',
  'randomNormal',
  'truncatedNormal',
  'randomUniform',
] as const;

const scaled = (type: string) => z.strictObject({ type: z.literal(type), seed });
export const InitializerObject = z.discriminatedUnion('type', [
  scaled('glorotUniform'),
  scaled('glorotNormal'),
  scaled('heUniform'),
  scaled('heNormal'),
  scaled('lecunUniform'),
  scaled('lecunNormal'),
  z.strictObject({ type: z.literal('orthogonal'), gain: num().default(1), seed }),
  z.strictObject({ type: z.literal('zeros') }),
  z.strictObject({ type: z.literal('ones') }),
  z.strictObject({ type: z.literal('constant'), value: num() }),
  z.strictObject({
    type: z.literal('randomNormal'),
    mean: num().default(0),
    stddev: num({ min: 0 }).default(0.05),
    seed,
  }),
  z.strictObject({
    type: z.literal('truncatedNormal'),
    mean: num().default(0),
    stddev: num({ min: 0 }).default(0.05),
    seed,
  }),
  z.strictObject({
    type: z.literal('randomUniform'),
    minval: num().default(-0.05),
    maxval: num().default(0.05),
    seed,
  }),
]);
export const Initializer = z.union([z.enum(INITIALIZER_NAMES), InitializerObject]);
export type Initializer = z.infer<typeof Initializer>;

/** `{ l1 }`, `{ l2 }` or both (Keras's L1, L2 and L1L2). */
export const Regularizer = z.strictObject({
  l1: num({ min: 0 }).optional(),
  l2: num({ min: 0 }).optional(),
});
export type Regularizer = z.infer<typeof Regularizer>;

export const ConstraintObject = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('maxNorm'),
    maxValue: num({ min: 0 }).default(2),
    axis: Axis.default(0),
  }),
  z.strictObject({ type: z.literal('nonNeg') }),
  z.strictObject({ type: z.literal('unitNorm'), axis: Axis.default(0) }),
  z.strictObject({
    type: z.literal('minMaxNorm'),
    minValue: num({ min: 0 }).default(0),
    maxValue: num({ min: 0 }).default(1),
    rate: num({ min: 0, max: 1 }).default(1),
    axis: Axis.default(0),
  }),
]);
export const Constraint = z.union([
  z.enum(['maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm']),
  ConstraintObject,
]);
export type Constraint = z.infer<typeof Constraint>;

/** The kernel/bias option set that Dense, Conv and friends share, with Keras's defaults. */
export const kernelAndBias = (kernelInit: z.infer<typeof Initializer> = 'glorotUniform') => ({
  useBias: z.boolean().default(true),
  kernelInitializer: Initializer.default(kernelInit),
  biasInitializer: Initializer.default('zeros'),
  kernelRegularizer: Regularizer.optional(),
  biasRegularizer: Regularizer.optional(),
  activityRegularizer: Regularizer.optional(),
  kernelConstraint: Constraint.optional(),
  biasConstraint: Constraint.optional(),
});
