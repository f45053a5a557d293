import { z } from 'zod';
import { Axis, int, NonNegativeInt, num, PositiveInt, Rate, Ref, Seed } from './primitives.js';

// Shapes, enums, bounds and defaults only (no refinements): the generated JSON Schema must accept
// exactly what zod accepts. Cross-field rules live in `trainingIssues` below.

/** A number > 0 (learning rates, clipping thresholds): 0 would silently stop training. */
const positive = () =>
  z.number({ error: 'a positive number' }).gt(0, { error: 'a positive number' });
/** A fraction in [0, 1]. */
const unit = () => num({ min: 0, max: 1 });
/** A decay factor in (0, 1): 1 would never decay, 0 would zero the learning rate. */
const factor = () =>
  z
    .number({ error: 'a number > 0 and < 1' })
    .gt(0, { error: 'a number > 0 and < 1' })
    .lt(1, { error: 'a number > 0 and < 1' });
const epsilon = () => num({ min: 0 }).default(1e-7);
const Mode = z.enum(['auto', 'min', 'max']);
/** A logged quantity in camelCase: `loss`, `valLoss`, `valAccuracy`, ... */
const Monitor = z.string({ error: 'a metric name' }).min(1, { error: 'a metric name' });

// ---- losses ----------------------------------------------------------------------------------

export const LOSS_NAMES = [
  'mse',
  'mae',
  'huber',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'kld',
  'hinge',
  'cosineSimilarity',
] as const;

const plain = <T extends string>(type: T) => z.strictObject({ type: z.literal(type) });
const crossentropy = <T extends string>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    fromLogits: z.boolean().default(false),
    labelSmoothing: unit().default(0),
  });

export const LossObject = z.discriminatedUnion('type', [
  plain('mse'),
  plain('mae'),
  z.strictObject({ type: z.literal('huber'), delta: positive().default(1) }),
  crossentropy('binaryCrossentropy'),
  crossentropy('categoricalCrossentropy'),
  crossentropy('sparseCategoricalCrossentropy'),
  plain('kld'),
  plain('hinge'),
  z.strictObject({
    type: z.literal('cosineSimilarity'),
    axis: Axis.default(-1),
  }),
]);
export const Loss = z.union([z.enum(LOSS_NAMES), LossObject]);
export type Loss = z.infer<typeof Loss>;
export type LossObject = z.infer<typeof LossObject>;
export type LossName = (typeof LOSS_NAMES)[number];

// ---- learning-rate schedules -----------------------------------------------------------------

export const SCHEDULE_NAMES = [
  'exponentialDecay',
  'inverseTimeDecay',
  'piecewiseConstantDecay',
  'cosineDecay',
  'reduceOnPlateau',
] as const;

const decay = <T extends string>(type: T) =>
  z.strictObject({
    type: z.literal(type),
    initialLearningRate: positive(),
    decaySteps: PositiveInt,
    decayRate: positive(),
    staircase: z.boolean().default(false),
  });

/** Schedules have required fields, so there is no bare-name form. */
export const Schedule = z.discriminatedUnion('type', [
  decay('exponentialDecay'),
  decay('inverseTimeDecay'),
  z.strictObject({
    type: z.literal('piecewiseConstantDecay'),
    boundaries: z.array(PositiveInt, { error: 'an array of step numbers' }),
    values: z
      .array(num({ min: 0 }), { error: 'an array of learning rates' })
      .min(1, { error: 'at least one learning rate' }),
  }),
  z.strictObject({
    type: z.literal('cosineDecay'),
    initialLearningRate: positive(),
    decaySteps: PositiveInt,
    alpha: unit().default(0),
    warmupTarget: positive().optional(),
    warmupSteps: NonNegativeInt.default(0),
  }),
  z.strictObject({
    type: z.literal('reduceOnPlateau'),
    initialLearningRate: positive(),
    monitor: Monitor.default('valLoss'),
    factor: factor().default(0.1),
    patience: NonNegativeInt.default(10),
    minDelta: num({ min: 0 }).default(1e-4),
    cooldown: NonNegativeInt.default(0),
    minLearningRate: num({ min: 0 }).default(0),
    mode: Mode.default('auto'),
  }),
]);
export type Schedule = z.infer<typeof Schedule>;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

// ---- optimizers ------------------------------------------------------------------------------

export const OPTIMIZER_NAMES = [
  'sgd',
  'adam',
  'adamw',
  'rmsprop',
  'adagrad',
  'adadelta',
  'adamax',
] as const;

const learningRate = (value: number) =>
  z.union([positive(), Schedule], { error: 'a positive number or a schedule' }).default(value);
/** Keras's clipvalue, clipnorm and global_clipnorm, shared by every optimizer. */
const clipping = {
  clipValue: positive().optional(),
  clipNorm: positive().optional(),
  globalClipNorm: positive().optional(),
};
const adamFields = {
  learningRate: learningRate(0.001),
  beta1: Rate.default(0.9),
  beta2: Rate.default(0.999),
  epsilon: epsilon(),
  ...clipping,
};

export const OptimizerObject = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('sgd'),
    learningRate: learningRate(0.01),
    momentum: unit().default(0),
    nesterov: z.boolean().default(false),
    ...clipping,
  }),
  z.strictObject({ type: z.literal('adam'), ...adamFields, amsgrad: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal('adamw'),
    ...adamFields,
    amsgrad: z.boolean().default(false),
    weightDecay: num({ min: 0 }).default(0.004),
  }),
  z.strictObject({
    type: z.literal('rmsprop'),
    learningRate: learningRate(0.001),
    rho: unit().default(0.9),
    momentum: unit().default(0),
    epsilon: epsilon(),
    centered: z.boolean().default(false),
    ...clipping,
  }),
  z.strictObject({
    type: z.literal('adagrad'),
    learningRate: learningRate(0.001),
    initialAccumulatorValue: num({ min: 0 }).default(0.1),
    epsilon: epsilon(),
    ...clipping,
  }),
  z.strictObject({
    type: z.literal('adadelta'),
    learningRate: learningRate(0.001),
    rho: unit().default(0.95),
    epsilon: epsilon(),
    ...clipping,
  }),
  z.strictObject({ type: z.literal('adamax'), ...adamFields }),
]);
export const Optimizer = z.union([z.enum(OPTIMIZER_NAMES), OptimizerObject]);
export type Optimizer = z.infer<typeof Optimizer>;
export type OptimizerObject = z.infer<typeof OptimizerObject>;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

// ---- metrics ---------------------------------------------------------------------------------

export const METRIC_NAMES = [
  'accuracy',
  'topKAccuracy',
  'precision',
  'recall',
  'f1',
  'auc',
  'mse',
  'mae',
  'perplexity',
] as const;

export const MetricObject = z.discriminatedUnion('type', [
  plain('accuracy'),
  z.strictObject({ type: z.literal('topKAccuracy'), k: PositiveInt.default(5) }),
  z.strictObject({ type: z.literal('precision'), threshold: unit().default(0.5) }),
  z.strictObject({ type: z.literal('recall'), threshold: unit().default(0.5) }),
  z.strictObject({
    type: z.literal('f1'),
    average: z.enum(['macro', 'micro', 'weighted']).nullable().default(null),
    threshold: unit().optional(),
  }),
  z.strictObject({
    type: z.literal('auc'),
    // Keras needs at least two thresholds to form one bucket.
    numThresholds: int(2).default(200),
    curve: z.enum(['ROC', 'PR']).default('ROC'),
  }),
  plain('mse'),
  plain('mae'),
  plain('perplexity'),
]);
export const Metric = z.union([z.enum(METRIC_NAMES), MetricObject]);
export type Metric = z.infer<typeof Metric>;
export type MetricObject = z.infer<typeof MetricObject>;
export type MetricName = (typeof METRIC_NAMES)[number];

// ---- recipes ---------------------------------------------------------------------------------

export const RECIPE_NAMES = ['fit', 'autoencoder', 'vae', 'gan', 'causalLm'] as const;

/** One part of a graph that a recipe runs on its own: from an input to a tensor. */
const Subgraph = z.strictObject({ input: Ref, output: Ref });

/**
 * How a spec is trained. `fit` (the default) maps inputs to targets with `loss`; the others make
 * their own targets from the data. Tensor names are checked against the graph.
 */
export const Recipe = z.discriminatedUnion('type', [
  plain('fit'),
  z.strictObject({
    type: z.literal('autoencoder'),
    /** Stddev of Gaussian noise added to the input only (a denoising autoencoder); 0 for none. */
    noiseStddev: num({ min: 0 }).default(0),
  }),
  z.strictObject({
    type: z.literal('vae'),
    /** The encoder's mean and log-variance tensors, for the KL term. */
    mean: Ref,
    logVar: Ref,
    /** The latent sample the decoder reads; generation feeds N(0, 1) here. */
    latent: Ref,
    /** Weight of the KL term (a beta-VAE for beta != 1). */
    beta: num({ min: 0 }).default(1),
  }),
  z.strictObject({
    type: z.literal('gan'),
    /** Latent input to generated sample. */
    generator: Subgraph,
    /** Sample input to a real/fake logit. */
    discriminator: Subgraph,
    /** Discriminator updates per generator update. */
    discriminatorSteps: PositiveInt.default(1),
    /** One-sided label smoothing of the real labels (Salimans et al. 2016). */
    labelSmoothing: unit().default(0),
    /** The discriminator's optimizer; default: a copy of `optimizer`. */
    discriminatorOptimizer: Optimizer.optional(),
  }),
  plain('causalLm'),
]);
export type Recipe = z.infer<typeof Recipe>;
export type RecipeName = (typeof RECIPE_NAMES)[number];

// ---- the training section --------------------------------------------------------------------

export const EarlyStopping = z.strictObject({
  monitor: Monitor.default('valLoss'),
  minDelta: num({ min: 0 }).default(0),
  patience: NonNegativeInt.default(0),
  mode: Mode.default('auto'),
  baseline: num().optional(),
  restoreBestWeights: z.boolean().default(false),
  startFromEpoch: NonNegativeInt.default(0),
});
export type EarlyStopping = z.infer<typeof EarlyStopping>;

/** Class index as written in JSON object keys: digits only. */
const ClassIndex = z.string().regex(/^[0-9]+$/, { error: 'a class index (digits)' });

export const Training = z.strictObject({
  /** One loss for every output, or one per output ref (an output named "type" is read as a loss). */
  loss: z.union([Loss, z.record(Ref, Loss)], { error: 'a loss or a map from output to loss' }),
  lossWeights: z.record(Ref, num({ min: 0 })).optional(),
  /** Keras's compile() default. */
  optimizer: Optimizer.default('rmsprop'),
  metrics: z.array(Metric).default([]),
  batchSize: PositiveInt.default(32),
  epochs: PositiveInt.default(1),
  validationSplit: Rate.default(0),
  shuffle: z.boolean().default(true),
  seed: Seed.optional(),
  classWeight: z.record(ClassIndex, num({ min: 0 })).optional(),
  earlyStopping: EarlyStopping.optional(),
  /** What training does with the data; default `fit` (inputs to targets). */
  recipe: Recipe.optional(),
});
export type Training = z.infer<typeof Training>;
export type TrainingInput = z.input<typeof Training>;

// ---- expansion and cross-field checks ---------------------------------------------------------

/** A bare name as the object with every Keras default filled in. */
export const lossObject = (l: Loss): LossObject =>
  LossObject.parse(typeof l === 'string' ? { type: l } : l);
export const optimizerObject = (o: Optimizer): OptimizerObject =>
  OptimizerObject.parse(typeof o === 'string' ? { type: o } : o);
export const metricObject = (m: Metric): MetricObject =>
  MetricObject.parse(typeof m === 'string' ? { type: m } : m);

/** A rule JSON Schema cannot state, as a path inside `training` and a message. */
export interface TrainingIssue {
  path: (string | number)[];
  message: string;
}

function scheduleIssues(s: Schedule, path: (string | number)[]): TrainingIssue[] {
  if (s.type !== 'piecewiseConstantDecay') return [];
  const out: TrainingIssue[] = [];
  const n = s.boundaries.length;
  if (s.values.length !== n + 1) {
    const message = `expected ${n + 1} values (one more than boundaries), got ${s.values.length}`;
    out.push({ path: [...path, 'values'], message });
  }
  s.boundaries.forEach((b, i) => {
    const prev = s.boundaries[i - 1];
    if (prev !== undefined && b <= prev) {
      out.push({
        path: [...path, 'boundaries', i],
        message: `expected a step > ${prev}, got ${b}`,
      });
    }
  });
  return out;
}

function optimizerIssues(o: Optimizer): TrainingIssue[] {
  if (typeof o === 'string') return [];
  const out: TrainingIssue[] = [];
  const set = (['clipValue', 'clipNorm', 'globalClipNorm'] as const).filter(
    (k) => o[k] !== undefined,
  );
  if (set.length > 1) {
    const message = `expected one of clipValue, clipNorm and globalClipNorm (Keras allows one), got ${set.join(' and ')}`;
    out.push({ path: ['optimizer', set[1] as string], message });
  }
  if (typeof o.learningRate === 'object')
    out.push(...scheduleIssues(o.learningRate, ['optimizer', 'learningRate']));
  return out;
}

function lossWeightIssues(t: Training): TrainingIssue[] {
  const named = typeof t.loss === 'object' && !('type' in t.loss) ? Object.keys(t.loss) : undefined;
  if (!named || !t.lossWeights) return [];
  return Object.keys(t.lossWeights)
    .filter((k) => !named.includes(k))
    .map((k) => ({
      path: ['lossWeights', k],
      message: `expected one of the outputs in loss (${named.join(', ')}), got "${k}"`,
    }));
}

/** Cross-field rules for a parsed training section; output refs are checked by graph resolution. */
export function trainingIssues(t: Training): TrainingIssue[] {
  return [...optimizerIssues(t.optimizer), ...lossWeightIssues(t)];
}
