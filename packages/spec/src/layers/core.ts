import { z } from 'zod';
import { Activation } from '../schema/activation.js';
import { Axis, Dim, Id, PositiveInt, Rate, Seed } from '../schema/primitives.js';
import { Constraint, Initializer, kernelAndBias, Regularizer } from '../schema/weights.js';
import { defineLayer, LayerError, param } from './kind.js';
import { featureAxis, formatShape, knownDim, product, single } from './shape.js';

const seed = Seed.optional();

export const dense = defineLayer({
  type: 'dense',
  family: 'core',
  doc: 'Fully connected layer on the last axis: activation(x · kernel + bias).',
  fields: { units: PositiveInt, activation: Activation.default('linear'), ...kernelAndBias() },
  infer(c, inputs) {
    const x = single(inputs, [2, Number.POSITIVE_INFINITY]);
    const n = knownDim(x, -1, 'to size the kernel');
    return {
      outputs: [{ shape: [...x.shape.slice(0, -1), c.units], dtype: 'float32' }],
      params: [param('kernel', [n, c.units]), ...(c.useBias ? [param('bias', [c.units])] : [])],
    };
  },
});

export const activation = defineLayer({
  type: 'activation',
  family: 'core',
  doc: 'Applies an activation function elementwise (softmax along an axis).',
  fields: { activation: Activation },
  infer: (_c, inputs) => ({ outputs: [{ shape: single(inputs).shape, dtype: 'float32' }] }),
});

export const prelu = defineLayer({
  type: 'prelu',
  family: 'core',
  doc: 'Parametric ReLU: max(0, x) + alpha · min(0, x) with a learned alpha per unit.',
  fields: {
    alphaInitializer: Initializer.default('zeros'),
    alphaRegularizer: Regularizer.optional(),
    alphaConstraint: Constraint.optional(),
    /** Keras axes (batch is 0) along which alpha is shared, e.g. [1, 2] for one alpha per channel. */
    sharedAxes: z.array(Axis).optional(),
  },
  infer(c, inputs) {
    const x = single(inputs, [2, Number.POSITIVE_INFINITY]);
    const shared = new Set((c.sharedAxes ?? []).map((a) => featureAxis(a, x.shape, 'sharedAxes')));
    const shape = x.shape.map((d, i) => {
      if (shared.has(i)) return 1;
      if (d === null)
        throw new LayerError(
          `alpha needs dimension ${i + 1} known or listed in sharedAxes`,
          'sharedAxes',
        );
      return d;
    });
    return { outputs: [x], params: [param('alpha', shape)] };
  },
});

export const dropout = defineLayer({
  type: 'dropout',
  family: 'core',
  doc: 'Zeroes a fraction `rate` of units while training; the identity at inference.',
  fields: { rate: Rate, noiseShape: z.array(Dim).optional(), seed },
  infer: (_c, inputs) => ({ outputs: [single(inputs)] }),
});

export const flatten = defineLayer({
  type: 'flatten',
  family: 'core',
  doc: 'Flattens every axis but the batch into one.',
  fields: {},
  arity: { dtype: 'any' },
  infer(_c, inputs) {
    const x = single(inputs);
    if (x.shape.some((d) => d === null)) {
      throw new LayerError(
        `cannot flatten a free dimension, got shape ${formatShape(x.shape)}`,
        'inputs',
      );
    }
    return { outputs: [{ shape: [product(x.shape as number[])], dtype: x.dtype }] };
  },
});

export const reshape = defineLayer({
  type: 'reshape',
  family: 'core',
  doc: 'Reshapes to `targetShape` (without batch); one entry may be -1 to be inferred.',
  fields: {
    targetShape: z
      .array(z.union([PositiveInt, z.literal(-1)], { error: 'a positive integer or -1' }))
      .min(1),
  },
  arity: { dtype: 'any' },
  infer(c, inputs) {
    const x = single(inputs);
    const target = c.targetShape;
    if (target.filter((d) => d === -1).length > 1)
      throw new LayerError('at most one -1 may be inferred', 'targetShape');
    const known = product(target.filter((d) => d !== -1));
    const total = x.shape.includes(null) ? null : product(x.shape as number[]);
    if (total === null) {
      if (!target.includes(-1))
        throw new LayerError(
          `input ${formatShape(x.shape)} has a free dimension; use -1 for it`,
          'targetShape',
        );
      return { outputs: [{ shape: target.map((d) => (d === -1 ? null : d)), dtype: x.dtype }] };
    }
    const inferred = target.includes(-1) ? total / known : known;
    if (!Number.isInteger(inferred) || (!target.includes(-1) && known !== total)) {
      throw new LayerError(
        `cannot reshape ${formatShape(x.shape)} (${total} values per sample) to ${formatShape(target)}`,
        'targetShape',
      );
    }
    return { outputs: [{ shape: target.map((d) => (d === -1 ? inferred : d)), dtype: x.dtype }] };
  },
});

export const permute = defineLayer({
  type: 'permute',
  family: 'core',
  doc: 'Permutes the axes after the batch; `dims` are 1-based as in Keras.',
  fields: { dims: z.array(PositiveInt).min(1) },
  arity: { dtype: 'any' },
  infer(c, inputs) {
    const x = single(inputs);
    const sorted = [...c.dims].sort((a, b) => a - b);
    if (c.dims.length !== x.shape.length || sorted.some((d, i) => d !== i + 1)) {
      throw new LayerError(
        `expected a permutation of 1..${x.shape.length} for input ${formatShape(x.shape)}, got [${c.dims.join(', ')}]`,
        'dims',
      );
    }
    return {
      outputs: [{ shape: c.dims.map((d) => x.shape[d - 1] as number | null), dtype: x.dtype }],
    };
  },
});

export const repeatVector = defineLayer({
  type: 'repeatVector',
  family: 'core',
  doc: 'Repeats a vector n times: (B, F) -> (B, n, F).',
  fields: { n: PositiveInt },
  arity: { dtype: 'any' },
  infer(c, inputs) {
    const x = single(inputs, 2);
    return { outputs: [{ shape: [c.n, x.shape[0] as number | null], dtype: x.dtype }] };
  },
});

export const embedding = defineLayer({
  type: 'embedding',
  family: 'core',
  doc: 'Looks up a vector per integer id: (B, ...) int32 -> (B, ..., outputDim).',
  fields: {
    inputDim: PositiveInt,
    outputDim: PositiveInt,
    embeddingsInitializer: Initializer.default({
      type: 'randomUniform',
      minval: -0.05,
      maxval: 0.05,
    }),
    embeddingsRegularizer: Regularizer.optional(),
    embeddingsConstraint: Constraint.optional(),
    /** Id 0 is padding: downstream masks may treat it as absent (Keras mask_zero). */
    maskZero: z.boolean().default(false),
  },
  arity: { dtype: 'int32' },
  infer: (c, inputs) => ({
    outputs: [{ shape: [...single(inputs).shape, c.outputDim], dtype: 'float32' }],
    params: [param('embeddings', [c.inputDim, c.outputDim])],
  }),
});

export const slice = defineLayer({
  type: 'slice',
  family: 'core',
  doc: 'Takes [start, end) with step along one axis; replaces the Lambda slices of Keras models.',
  fields: {
    axis: Axis,
    start: z.number({ error: 'an integer' }).int({ error: 'an integer' }).default(0),
    /** Exclusive; negative counts from the end; omitted means to the end. */
    end: z.number({ error: 'an integer' }).int({ error: 'an integer' }).optional(),
    step: PositiveInt.default(1),
    /** Drop the axis when the slice keeps exactly one element (BERT's [CLS] pooling). */
    squeeze: z.boolean().default(false),
  },
  arity: { dtype: 'any' },
  infer(c, inputs) {
    const x = single(inputs, [2, Number.POSITIVE_INFINITY]);
    const a = featureAxis(c.axis, x.shape);
    const len = x.shape[a] as number | null;
    const resolve = (i: number, l: number) => Math.min(Math.max(i < 0 ? l + i : i, 0), l);
    let size: number | null;
    if (len === null) {
      // A free axis can only be sliced from a non-negative start to a non-negative end.
      if (c.start < 0 || c.end === undefined || c.end < 0) {
        throw new LayerError('a free-length axis needs start >= 0 and an explicit end >= 0', 'end');
      }
      size = Math.ceil(Math.max(c.end - c.start, 0) / c.step);
    } else {
      const s = resolve(c.start, len);
      const e = c.end === undefined ? len : resolve(c.end, len);
      size = Math.ceil(Math.max(e - s, 0) / c.step);
    }
    if (size === 0)
      throw new LayerError(
        `the slice of axis ${c.axis} of ${formatShape(x.shape)} is empty`,
        'end',
      );
    if (c.squeeze && size !== 1)
      throw new LayerError(`squeeze needs a slice of one element, this one has ${size}`, 'squeeze');
    const shape = [...x.shape];
    if (c.squeeze) shape.splice(a, 1);
    else shape[a] = size;
    if (shape.length === 0)
      throw new LayerError('squeezing the only axis would leave a scalar per sample', 'squeeze');
    return { outputs: [{ shape, dtype: x.dtype }] };
  },
});

/** The token-embedding matrix (vocabulary, dim) of each kind a reverseEmbedding may tie to. */
const TOKEN_TABLES: Record<string, string> = {
  embedding: 'embeddings',
  tokenAndPositionEmbedding: 'token_embedding.embeddings',
};

export const reverseEmbedding = defineLayer({
  type: 'reverseEmbedding',
  family: 'core',
  doc: 'Tied output embedding (keras_nlp ReversibleEmbedding): x · embeddingsᵀ with the matrix of layer `embedding`, (..., dim) -> (..., vocabulary).',
  fields: {
    /** Id of an `embedding` or `tokenAndPositionEmbedding` layer of the same scope. */
    embedding: Id,
  },
  weightRefFields: ['embedding'],
  infer(c, inputs, ctx) {
    const x = single(inputs, [2, Number.POSITIVE_INFINITY]);
    const owner = ctx.layers.embedding;
    const name = owner && TOKEN_TABLES[owner.type];
    const table = name && owner.params.find((p) => p.name === name);
    if (!table) {
      const got = owner ? `a ${owner.type} layer` : 'no layer of this scope';
      throw new LayerError(
        `expected the id of an embedding or tokenAndPositionEmbedding layer, got "${c.embedding}" (${got})`,
        'embedding',
      );
    }
    const [vocabulary, dim] = table.shape as [number, number];
    const d = knownDim(x, -1, 'to match the embedding matrix');
    if (d !== dim) {
      throw new LayerError(
        `expected the input's last dimension to equal the embedding size ${dim} of "${c.embedding}", got shape ${formatShape(x.shape)}`,
        'embedding',
      );
    }
    return {
      outputs: [{ shape: [...x.shape.slice(0, -1), vocabulary], dtype: 'float32' }],
      tied: [{ name: 'embeddings', field: 'embedding', param: table.name }],
    };
  },
});

/** The core family: one entry per layer kind (DESIGN.md). */
export const core = {
  dense,
  activation,
  prelu,
  dropout,
  flatten,
  reshape,
  permute,
  repeatVector,
  embedding,
  slice,
  reverseEmbedding,
};
