import { positiveInt, rate } from './checks.js';
import type { LayerInput, SpecInput } from './types.js';

export interface GptOptions {
  /** Token ids are in [0, vocabularySize); default 50,257 (GPT-2's byte-level BPE). */
  vocabularySize?: number;
  /** Most positions the model reads (the learned position table); default 1024. */
  contextLength?: number;
  /** Decoder blocks; default 12. */
  layers?: number;
  /** Attention heads per block; must divide `width`. Default 12. */
  heads?: number;
  /** Model width (embedding size); default 768. */
  width?: number;
  /** Feed-forward size; default 4 * width. */
  intermediate?: number;
  /** Dropout of the embeddings, attention and residual paths (GPT-2's 0.1); default 0.1. */
  dropout?: number;
  /** Logits from the token-embedding matrix (GPT-2's tied head); default true. */
  tied?: boolean;
  name?: string;
}

/** GPT-2's initializer_range: weights ~ N(0, 0.02). */
const NORMAL = { type: 'randomNormal', stddev: 0.02 } as const;
const EPSILON = 1e-5;

/**
 * A GPT-2-style decoder-only language model: token + learned position embeddings, `layers`
 * pre-norm decoder blocks (causal self-attention, tanh-GELU FFN), a final layer norm and logits
 * over the vocabulary, by default from the token-embedding matrix (`reverseEmbedding`).
 * Input `input_ids`: int32 (T) with T free up to `contextLength`; output `logits`: (T, vocab).
 */
export function gptGenerator(options: GptOptions = {}): SpecInput {
  const {
    vocabularySize = 50_257,
    contextLength = 1024,
    layers = 12,
    heads = 12,
    width = 768,
    dropout = 0.1,
    tied = true,
  } = options;
  const intermediate = options.intermediate ?? 4 * width;
  const sizes = { vocabularySize, contextLength, layers, heads, width, intermediate };
  for (const [k, v] of Object.entries(sizes)) positiveInt('gptGenerator', k, v);
  rate('gptGenerator', 'dropout', dropout);
  if (width % heads !== 0)
    throw new Error(`gptGenerator: heads must divide width ${width}, got ${heads}`);

  const head: LayerInput = tied
    ? { id: 'logits', type: 'reverseEmbedding', embedding: 'wte' }
    : { id: 'logits', type: 'dense', units: vocabularySize, useBias: false };
  return {
    specVersion: 1,
    name: options.name ?? 'gpt',
    description: `GPT-2-style language model: ${layers} layers, ${heads} heads, width ${width}, vocabulary ${vocabularySize}, context ${contextLength}${tied ? ', tied output embedding' : ''}.`,
    inputs: [{ id: 'input_ids', shape: [null], dtype: 'int32' }],
    blocks: {
      decoder: {
        inputs: ['x'],
        layers: [
          {
            id: 'layer',
            type: 'transformerDecoder',
            inputs: ['x'],
            numHeads: heads,
            intermediateDim: intermediate,
            dropout,
            activation: 'geluTanh',
            layerNormEpsilon: EPSILON,
            normalizeFirst: true,
            kernelInitializer: NORMAL,
          },
        ],
      },
    },
    layers: [
      // (T) ids -> (T, width): token plus position embeddings (wte + wpe)
      {
        id: 'wte',
        type: 'tokenAndPositionEmbedding',
        vocabularySize,
        sequenceLength: contextLength,
        embeddingDim: width,
        embeddingsInitializer: NORMAL,
      },
      ...(dropout > 0 ? [{ id: 'drop', type: 'dropout' as const, rate: dropout }] : []),
      { id: 'h', type: 'block', block: 'decoder', repeat: layers },
      { id: 'ln_f', type: 'layerNorm', epsilon: EPSILON },
      // (T, width) -> (T, vocab)
      head,
    ],
    training: {
      loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
      optimizer: { type: 'adamw', learningRate: 3e-4, weightDecay: 0.1 },
      batchSize: 16,
      epochs: 1,
      validationSplit: 0.1,
      seed: 42,
      recipe: { type: 'causalLm' },
    },
  };
}

/** minGPT's model sizes and GPT-2 (124M). */
export const GPT_SIZES = {
  'gpt-nano': { layers: 3, heads: 3, width: 48 },
  'gpt-micro': { layers: 4, heads: 4, width: 128 },
  'gpt-mini': { layers: 6, heads: 6, width: 192 },
  gpt2: { layers: 12, heads: 12, width: 768 },
} as const;
