import { z } from 'zod';
import { Axis, num } from './primitives.js';

/** Activations without parameters, by their Keras names in camelCase. */
export const ACTIVATION_NAMES = [
  'linear',
  'relu',
  'relu6',
  'leakyRelu',
  'elu',
  'selu',
  'gelu',
  'geluTanh',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'softmax',
  'logSoftmax',
  'softplus',
  'softsign',
  'swish',
  'silu',
  'mish',
  'exponential',
] as const;

/** Activations whose parameters differ from the defaults are written as objects. */
export const ActivationObject = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('leakyRelu'), alpha: num({ min: 0 }).default(0.3) }),
  z.strictObject({ type: z.literal('elu'), alpha: num({ min: 0 }).default(1) }),
  z.strictObject({ type: z.literal('softmax'), axis: Axis.default(-1) }),
  z.strictObject({ type: z.literal('logSoftmax'), axis: Axis.default(-1) }),
  z.strictObject({ type: z.literal('gelu'), approximate: z.boolean().default(false) }),
]);

export const Activation = z.union([z.enum(ACTIVATION_NAMES), ActivationObject]);
export type Activation = z.infer<typeof Activation>;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];
