import { positiveInt, rate } from './checks.js';
import type { SpecInput } from './types.js';

export interface BertOptions {
  /** WordPiece vocabulary; default 30,522 (bert-base-uncased). */
  vocabularySize?: number;
  /** Most positions (the learned position table); default 512. */
  maxPositions?: number;
  /** Token types (segments A and B); default 2. */
  typeVocabularySize?: number;
  /** Encoder blocks (L); default 12. */
  layers?: number;
  /** Hidden size (H); default 768. */
  width?: number;
  /** Attention heads (A); must divide `width`. Default 12. */
  heads?: number;
  /** Feed-forward size; default 4 * width. */
  intermediate?: number;
  /** Dropout of embeddings, attention, residual paths and the classifier; default 0.1. */
  dropout?: number;
  /** Classes of the head (softmax); default 2. */
  numClasses?: number;
  name?: string;
}

/** BERT's initializer_range: weights ~ N(0, 0.02) (truncated in the original TF code). */
const NORMAL = { type: 'truncatedNormal', stddev: 0.02 } as const;
const EPSILON = 1e-12;

/**
 * BERT (Devlin et al. 2019) with a sequence-classification head, as Hugging Face's
 * BertForSequenceClassification: word + position + token-type embeddings, LayerNorm, dropout;
 * `layers` post-LN encoder blocks (exact GELU); a tanh pooler on the first ([CLS]) position;
 * dropout and a dense softmax over `numClasses`.
 * Inputs (int32, T free up to `maxPositions`): `input_ids`, `token_type_ids`, and
 * `attention_mask` (1 for tokens, 0 for padding). Output `probs`: (numClasses).
 */
export function bertClassifier(options: BertOptions = {}): SpecInput {
  const {
    vocabularySize = 30_522,
    maxPositions = 512,
    typeVocabularySize = 2,
    layers = 12,
    width = 768,
    heads = 12,
    dropout = 0.1,
    numClasses = 2,
  } = options;
  const intermediate = options.intermediate ?? 4 * width;
  const sizes = { vocabularySize, maxPositions, typeVocabularySize, layers, width, heads };
  for (const [k, v] of Object.entries({ ...sizes, intermediate, numClasses }))
    positiveInt('bertClassifier', k, v);
  rate('bertClassifier', 'dropout', dropout);
  if (width % heads !== 0)
    throw new Error(`bertClassifier: heads must divide width ${width}, got ${heads}`);
  const drop = (id: string) =>
    dropout > 0 ? [{ id, type: 'dropout' as const, rate: dropout }] : [];
  const ids = (id: string) => ({ id, shape: [null], dtype: 'int32' as const });
  return {
    specVersion: 1,
    name: options.name ?? 'bert-classifier',
    description: `BERT classifier: L=${layers}, H=${width}, A=${heads}, vocabulary ${vocabularySize}, ${maxPositions} positions, ${numClasses} classes.`,
    inputs: [ids('input_ids'), ids('token_type_ids'), ids('attention_mask')],
    blocks: {
      encoder: {
        inputs: ['x', 'mask'],
        layers: [
          {
            id: 'layer',
            type: 'transformerEncoder',
            inputs: ['x'],
            numHeads: heads,
            intermediateDim: intermediate,
            dropout,
            activation: 'gelu',
            layerNormEpsilon: EPSILON,
            kernelInitializer: NORMAL,
            paddingMask: 'mask',
          },
        ],
      },
    },
    layers: [
      // (T) ids -> (T, H) each; position embeddings are read off the word embeddings' length
      {
        id: 'word_embeddings',
        type: 'embedding',
        inputs: ['input_ids'],
        inputDim: vocabularySize,
        outputDim: width,
        embeddingsInitializer: NORMAL,
      },
      {
        id: 'position_embeddings',
        type: 'positionEmbedding',
        sequenceLength: maxPositions,
        initializer: NORMAL,
      },
      {
        id: 'token_type_embeddings',
        type: 'embedding',
        inputs: ['token_type_ids'],
        inputDim: typeVocabularySize,
        outputDim: width,
        embeddingsInitializer: NORMAL,
      },
      {
        id: 'embeddings',
        type: 'add',
        inputs: ['word_embeddings', 'position_embeddings', 'token_type_embeddings'],
      },
      { id: 'embeddings_norm', type: 'layerNorm', epsilon: EPSILON },
      ...drop('embeddings_dropout'),
      // (T, H) -> (T, H), attention_mask shared by every block
      {
        id: 'encoder',
        type: 'block',
        block: 'encoder',
        repeat: layers,
        inputs: [dropout > 0 ? 'embeddings_dropout' : 'embeddings_norm', 'attention_mask'],
      },
      // (T, H) -> (H): the [CLS] position
      { id: 'cls', type: 'slice', axis: 1, start: 0, end: 1, squeeze: true },
      {
        id: 'pooler',
        type: 'dense',
        units: width,
        activation: 'tanh',
        kernelInitializer: NORMAL,
      },
      ...drop('classifier_dropout'),
      {
        id: 'probs',
        type: 'dense',
        units: numClasses,
        activation: 'softmax',
        kernelInitializer: NORMAL,
      },
    ],
    training: {
      loss: 'sparseCategoricalCrossentropy',
      // The BERT paper's fine-tuning range: Adam(W) 2e-5 to 5e-5, batch 16 or 32, 2 to 4 epochs.
      optimizer: { type: 'adamw', learningRate: 2e-5, weightDecay: 0.01 },
      metrics: ['accuracy'],
      batchSize: 32,
      epochs: 3,
      validationSplit: 0.1,
      seed: 42,
    },
  };
}

/** The BERT miniatures' sizes (Turc et al. 2019) and BERT-Base: L layers, H width, A heads. */
export const BERT_SIZES = {
  'bert-tiny': { layers: 2, width: 128, heads: 2 },
  'bert-mini': { layers: 4, width: 256, heads: 4 },
  'bert-small': { layers: 4, width: 512, heads: 8 },
  'bert-medium': { layers: 8, width: 512, heads: 8 },
  'bert-base': { layers: 12, width: 768, heads: 12 },
} as const;
