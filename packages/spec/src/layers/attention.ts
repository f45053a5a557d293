import { z } from 'zod';
import { Activation } from '../schema/activation.js';
import { num, PositiveInt, Rate, Ref, Seed } from '../schema/primitives.js';
import { Initializer, kernelAndBias } from '../schema/weights.js';
import {
  defineLayer,
  type InferContext,
  LayerError,
  type ParamShape,
  param,
  type TensorType,
} from './kind.js';
import { formatShape, knownDim, single } from './shape.js';

const seed = Seed.optional();
/** Keras's "uniform" embeddings initializer, which keras_nlp's token embeddings default to. */
const UNIFORM = { type: 'randomUniform', minval: -0.05, maxval: 0.05 } as const;

// ---- weights -------------------------------------------------------------------------------

/** A kernel and (optionally) its bias under one path: `query.kernel`, `query.bias`. */
function weights(path: string, kernel: number[], bias: number[], useBias = true): ParamShape[] {
  return [param(`${path}.kernel`, kernel), ...(useBias ? [param(`${path}.bias`, bias)] : [])];
}

const denseParams = (path: string, inDim: number, units: number) =>
  weights(path, [inDim, units], [units]);
const layerNormParams = (path: string, d: number) => [
  param(`${path}.gamma`, [d]),
  param(`${path}.beta`, [d]),
];

/** Feature sizes that fix a Keras MultiHeadAttention's weights. */
interface MhaSizes {
  query: number;
  key: number;
  value: number;
  heads: number;
  keyDim: number;
  valueDim: number;
  output: number[];
  useBias: boolean;
}

/** Keras MultiHeadAttention's einsum weights: projections (in, heads, dim), output (heads, dim, ...out). */
function mhaParams(prefix: string, s: MhaSizes): ParamShape[] {
  const project = (name: string, inDim: number, dim: number) =>
    weights(`${prefix}${name}`, [inDim, s.heads, dim], [s.heads, dim], s.useBias);
  return [
    ...project('query', s.query, s.keyDim),
    ...project('key', s.key, s.keyDim),
    ...project('value', s.value, s.valueDim),
    ...weights(`${prefix}output`, [s.heads, s.valueDim, ...s.output], s.output, s.useBias),
  ];
}

// ---- inputs and masks ----------------------------------------------------------------------

/** Throws the LayerError blaming `field`; an expression, so checks stay one line. */
const fail = (message: string, field: string): never => {
  throw new LayerError(message, field);
};

/** Input `i` as a (T, D) sequence; `field` is the key blamed when it is not one. */
function sequence(
  inputs: TensorType[],
  i: number,
  what: string,
  field = `inputs/${i}`,
): TensorType {
  const x = inputs[i];
  if (x?.shape.length === 2) return x;
  const got = x ? `shape ${formatShape(x.shape)}` : 'no tensor';
  return fail(`expected the ${what} of rank 3 (batch, time, features), got ${got}`, field);
}

/** The feature size of a (T, D) sequence, which must be known because it sizes a weight. */
function features(x: TensorType, field: string, why: string): number {
  return (
    x.shape[1] ??
    fail(`expected a known feature size ${why}, got shape ${formatShape(x.shape)}`, field)
  );
}

const differ = (a: number | null | undefined, b: number | null | undefined) =>
  a != null && b != null && a !== b;

/** Query, value and key of Keras's attention layers: value defaults to query, key to value. */
function queryValueKey(inputs: TensorType[]) {
  const q = sequence(inputs, 0, 'query');
  const v = inputs.length > 1 ? sequence(inputs, 1, 'value') : q;
  const k = inputs.length > 2 ? sequence(inputs, 2, 'key') : v;
  const vField = inputs.length > 1 ? 'inputs/1' : 'inputs/0';
  const kField = inputs.length > 2 ? 'inputs/2' : vField;
  if (differ(k.shape[0], v.shape[0])) {
    fail(
      `expected the key to have as many steps as the value ${formatShape(v.shape)}, got ${formatShape(k.shape)}`,
      kField,
    );
  }
  return { q, v, k, vField, kField };
}

/** Score functions of Attention and AdditiveAttention compare query and key feature by feature. */
function requireSameFeatures(q: TensorType, k: TensorType, kField: string): void {
  if (differ(q.shape[1], k.shape[1])) {
    fail(
      `expected the key's last dimension to equal the query's ${formatShape(q.shape)}, got ${formatShape(k.shape)}`,
      kField,
    );
  }
}

type MaskField = 'paddingMask' | 'encoderPaddingMask';

/**
 * Checks the mask a layer's `field` names: (S) or (Tq, S) over the S key positions, nonzero
 * (int32 or float32) where attention may look.
 */
function checkMask(
  ctx: InferContext,
  field: MaskField,
  set: unknown,
  tq?: number | null,
  s?: number | null,
): void {
  const mask = set ? ctx.refs[field] : undefined;
  if (!mask) return;
  const shape = formatShape(mask.shape);
  const rank = mask.shape.length;
  if (rank !== 1 && rank !== 2)
    fail(`expected a mask of shape (None, S) or (None, Tq, S), got ${shape}`, field);
  if (differ(mask.shape[rank - 1], s))
    fail(`expected a mask over ${s} key positions, got shape ${shape}`, field);
  if (rank === 2 && differ(mask.shape[0], tq))
    fail(`expected a mask with ${tq} query rows, got shape ${shape}`, field);
}

/** Rejects a known sequence longer than the position table. */
function checkLength(x: TensorType, sequenceLength: number): void {
  const t = x.shape[0];
  if (t != null && t > sequenceLength) {
    fail(
      `expected at most ${sequenceLength} positions (sequenceLength), got shape ${formatShape(x.shape)}`,
      'sequenceLength',
    );
  }
}

// ---- dot-product and additive attention ----------------------------------------------------

const attentionArity = { min: 2, max: 3 };
const attentionFields = {
  dropout: Rate.default(0),
  useCausalMask: z.boolean().default(false),
  seed,
};
const attentionOutput = (q: TensorType, v: TensorType): TensorType => ({
  shape: [q.shape[0] as number | null, v.shape[1] as number | null],
  dtype: 'float32',
});

export const attention = defineLayer({
  type: 'attention',
  family: 'attention',
  doc: 'Luong dot-product attention over [query, value] or [query, value, key]: (Tq, dim) -> (Tq, dimV).',
  fields: {
    useScale: z.boolean().default(false),
    scoreMode: z.enum(['dot', 'concat']).default('dot'),
    ...attentionFields,
  },
  arity: attentionArity,
  infer(c, inputs) {
    const { q, v, k, kField } = queryValueKey(inputs);
    requireSameFeatures(q, k, kField);
    const params = [
      ...(c.useScale ? [param('scale', [])] : []),
      ...(c.scoreMode === 'concat' ? [param('concat_score_weight', [])] : []),
    ];
    return { outputs: [attentionOutput(q, v)], params };
  },
});

export const additiveAttention = defineLayer({
  type: 'additiveAttention',
  family: 'attention',
  doc: 'Bahdanau additive attention over [query, value] or [query, value, key]: (Tq, dim) -> (Tq, dimV).',
  fields: { useScale: z.boolean().default(true), ...attentionFields },
  arity: attentionArity,
  infer(c, inputs) {
    const { q, v, k, kField } = queryValueKey(inputs);
    requireSameFeatures(q, k, kField);
    const params = c.useScale
      ? [param('scale', [features(q, 'inputs/0', 'to size the scale')])]
      : [];
    return { outputs: [attentionOutput(q, v)], params };
  },
});

// ---- multi-head attention ------------------------------------------------------------------

export const multiHeadAttention = defineLayer({
  type: 'multiHeadAttention',
  family: 'attention',
  doc: 'Keras MultiHeadAttention over [query], [query, value] or [query, value, key]: (Tq, Dq) -> (Tq, out).',
  fields: {
    numHeads: PositiveInt,
    keyDim: PositiveInt,
    /** Per-head size of the value projection; defaults to keyDim. */
    valueDim: PositiveInt.optional(),
    dropout: Rate.default(0),
    /** Output feature size (or shape); defaults to the query's last dimension. */
    outputShape: z
      .union([PositiveInt, z.array(PositiveInt).min(1)], {
        error: 'a positive integer or array of them',
      })
      .optional(),
    useCausalMask: z.boolean().default(false),
    /** A (S) or (Tq, S) tensor over the key positions; nonzero entries may be attended to. */
    paddingMask: Ref.optional(),
    seed,
    ...kernelAndBias(),
  },
  arity: { min: 1, max: 3 },
  refFields: ['paddingMask'],
  infer(c, inputs, ctx) {
    const { q, v, k, vField, kField } = queryValueKey(inputs);
    const why = 'to size the projection kernels';
    const query = features(q, 'inputs/0', why);
    const output = [c.outputShape ?? query].flat();
    checkMask(ctx, 'paddingMask', c.paddingMask, q.shape[0], k.shape[0]);
    const params = mhaParams('', {
      query,
      key: features(k, kField, why),
      value: features(v, vField, why),
      heads: c.numHeads,
      keyDim: c.keyDim,
      valueDim: c.valueDim ?? c.keyDim,
      output,
      useBias: c.useBias,
    });
    return { outputs: [{ shape: [q.shape[0] ?? null, ...output], dtype: 'float32' }], params };
  },
});

// ---- position embeddings -------------------------------------------------------------------

export const positionEmbedding = defineLayer({
  type: 'positionEmbedding',
  family: 'attention',
  doc: 'Learned position embeddings (keras_nlp PositionEmbedding): (T, D) -> (T, D), to be added to the input.',
  fields: { sequenceLength: PositiveInt, initializer: Initializer.default('glorotUniform') },
  infer(c, inputs) {
    const x = single(inputs, 3);
    checkLength(x, c.sequenceLength);
    const d = knownDim(x, -1, 'to size the embeddings');
    return { outputs: [x], params: [param('embeddings', [c.sequenceLength, d])] };
  },
});

export const sinusoidalPositionEncoding = defineLayer({
  type: 'sinusoidalPositionEncoding',
  family: 'attention',
  doc: 'Fixed sine/cosine position encodings (keras_nlp SinePositionEncoding): (T, D) -> (T, D), to be added.',
  // A wavelength under one step would alias; keras_nlp's default is 10000.
  fields: { maxWavelength: num({ min: 1 }).default(10000) },
  infer: (_c, inputs) => ({ outputs: [single(inputs, 3)] }),
});

export const tokenAndPositionEmbedding = defineLayer({
  type: 'tokenAndPositionEmbedding',
  family: 'attention',
  doc: 'Token plus learned position embeddings (keras_nlp TokenAndPositionEmbedding): (T) int32 -> (T, E).',
  fields: {
    vocabularySize: PositiveInt,
    sequenceLength: PositiveInt,
    embeddingDim: PositiveInt,
    /** Id 0 is padding: downstream masks may treat it as absent. */
    maskZero: z.boolean().default(false),
    embeddingsInitializer: Initializer.default(UNIFORM),
  },
  arity: { dtype: 'int32' },
  infer(c, inputs) {
    const x = single(inputs, 2);
    if (x.dtype !== 'int32') fail(`expected int32 token ids, got ${x.dtype}`, 'inputs');
    checkLength(x, c.sequenceLength);
    return {
      outputs: [{ shape: [x.shape[0] ?? null, c.embeddingDim], dtype: 'float32' }],
      params: [
        param('token_embedding.embeddings', [c.vocabularySize, c.embeddingDim]),
        param('position_embedding.embeddings', [c.sequenceLength, c.embeddingDim]),
      ],
    };
  },
});

// ---- transformer blocks --------------------------------------------------------------------

/** Options keras_nlp's TransformerEncoder and TransformerDecoder share. */
const blockFields = {
  intermediateDim: PositiveInt,
  numHeads: PositiveInt,
  dropout: Rate.default(0),
  activation: Activation.default('relu'),
  layerNormEpsilon: num({ min: 0 }).default(1e-5),
  /** Pre-LN (GPT-2) instead of post-LN (BERT, the original transformer). */
  normalizeFirst: z.boolean().default(false),
  kernelInitializer: Initializer.default('glorotUniform'),
  biasInitializer: Initializer.default('zeros'),
  /** A (T) or (T, T) tensor over the sequence's positions; nonzero entries may be attended to. */
  paddingMask: Ref.optional(),
};

/** The model width D of a block's (T, D) input; heads split it evenly (keyDim = D / numHeads). */
function modelWidth(x: TensorType, heads: number, field: string): number {
  const d = features(x, field, 'to size the block');
  if (d % heads !== 0)
    fail(`expected numHeads to divide the model width ${d}, got ${heads}`, 'numHeads');
  return d;
}

/** Attention with keyDim = valueDim = D / heads and output D, as keras_nlp builds it. */
function blockAttention(prefix: string, d: number, heads: number, source: number): ParamShape[] {
  const keyDim = d / heads;
  const sizes = {
    query: d,
    key: source,
    value: source,
    heads,
    keyDim,
    valueDim: keyDim,
    output: [d],
    useBias: true,
  };
  return [...mhaParams(`${prefix}.`, sizes), ...layerNormParams(`${prefix}Norm`, d)];
}

/** Self-attention, optional cross-attention over an encoder of width `encoder`, then the FFN. */
function blockParams(d: number, ffn: number, heads: number, encoder?: number): ParamShape[] {
  return [
    ...blockAttention('selfAttention', d, heads, d),
    ...(encoder === undefined ? [] : blockAttention('crossAttention', d, heads, encoder)),
    ...denseParams('ffn.intermediate', d, ffn),
    ...denseParams('ffn.output', ffn, d),
    ...layerNormParams('ffnNorm', d),
  ];
}

export const transformerEncoder = defineLayer({
  type: 'transformerEncoder',
  family: 'attention',
  doc: 'keras_nlp TransformerEncoder: self-attention and a feed-forward network, each residual + LayerNorm.',
  fields: { ...blockFields, useCausalMask: z.boolean().default(false) },
  refFields: ['paddingMask'],
  infer(c, inputs, ctx) {
    const x = sequence(inputs, 0, 'input', 'inputs');
    const d = modelWidth(x, c.numHeads, 'inputs');
    checkMask(ctx, 'paddingMask', c.paddingMask, x.shape[0], x.shape[0]);
    return { outputs: [x], params: blockParams(d, c.intermediateDim, c.numHeads) };
  },
});

export const transformerDecoder = defineLayer({
  type: 'transformerDecoder',
  family: 'attention',
  doc: 'keras_nlp TransformerDecoder: causal self-attention, cross-attention to an optional encoder sequence, FFN.',
  fields: {
    ...blockFields,
    /** A (S) or (T, S) tensor over the encoder sequence's positions. */
    encoderPaddingMask: Ref.optional(),
  },
  arity: { min: 1, max: 2 },
  refFields: ['paddingMask', 'encoderPaddingMask'],
  infer(c, inputs, ctx) {
    const x = sequence(inputs, 0, 'decoder sequence');
    const d = modelWidth(x, c.numHeads, 'inputs/0');
    const enc = inputs.length > 1 ? sequence(inputs, 1, 'encoder sequence') : undefined;
    checkMask(ctx, 'paddingMask', c.paddingMask, x.shape[0], x.shape[0]);
    if (c.encoderPaddingMask && !enc) {
      fail(
        'expected an encoder sequence (inputs/1) for encoderPaddingMask, got none',
        'encoderPaddingMask',
      );
    }
    checkMask(ctx, 'encoderPaddingMask', c.encoderPaddingMask, x.shape[0], enc?.shape[0]);
    const encoder = enc && features(enc, 'inputs/1', 'to size the cross-attention kernels');
    return { outputs: [x], params: blockParams(d, c.intermediateDim, c.numHeads, encoder) };
  },
});

/** The attention family: one entry per layer kind (DESIGN.md). */
export const attentionLayers = {
  attention,
  additiveAttention,
  multiHeadAttention,
  positionEmbedding,
  sinusoidalPositionEncoding,
  tokenAndPositionEmbedding,
  transformerEncoder,
  transformerDecoder,
};
