import { describe, expect, it } from 'vitest';
import { resolveSpec } from '../index.js';
import { DecoderPlanError, decoderPlan } from './decoder-plan.js';

const gpt = (extra: object[] = [], tied = true) => ({
  specVersion: 1,
  name: 'gpt',
  inputs: [{ id: 'ids', shape: [null], dtype: 'int32' }],
  layers: [
    {
      id: 'wte',
      type: 'tokenAndPositionEmbedding',
      vocabularySize: 50,
      sequenceLength: 16,
      embeddingDim: 8,
    },
    { id: 'h0', type: 'transformerDecoder', numHeads: 2, intermediateDim: 16 },
    { id: 'h1', type: 'transformerDecoder', numHeads: 2, intermediateDim: 16 },
    ...extra,
    { id: 'ln', type: 'layerNorm' },
    tied
      ? { id: 'logits', type: 'reverseEmbedding', embedding: 'wte' }
      : { id: 'logits', type: 'dense', units: 50 },
  ],
});

describe('decoderPlan', () => {
  it('finds the token input, the logits, the decoders in order and the context length', () => {
    const plan = decoderPlan(resolveSpec(gpt()));
    expect(plan.input.name).toBe('ids');
    expect(plan.output.name).toBe('logits');
    expect(plan.vocabularySize).toBe(50);
    expect(plan.contextLength).toBe(16);
    expect(plan.decoders.map((n) => n.path)).toEqual(['h0', 'h1']);
    expect(decoderPlan(resolveSpec(gpt([], false))).vocabularySize).toBe(50);
  });

  it('names the layer that cannot be decoded step by step, and why', () => {
    const conv = gpt([{ id: 'c', type: 'conv1d', filters: 8, kernelSize: 3, padding: 'causal' }]);
    expect(() => decoderPlan(resolveSpec(conv))).toThrow(DecoderPlanError);
    expect(() => decoderPlan(resolveSpec(conv))).toThrow(
      /layer \/layers\/3 \("c", conv1d\): cannot be decoded step by step/,
    );
    const softmaxOverTime = gpt([
      { id: 's', type: 'activation', activation: { type: 'softmax', axis: 1 } },
    ]);
    // A softmax over axis 1 mixes positions: the new ones would need the past.
    expect(() => decoderPlan(resolveSpec(softmaxOverTime))).toThrow(
      /\("s", activation\): axis 1 runs over the sequence; expected feature axes only/,
    );
  });

  it('rejects a model that is not token ids to per-position logits', () => {
    const image = {
      specVersion: 1,
      name: 'mlp',
      inputs: [{ id: 'x', shape: [4], dtype: 'float32' }],
      layers: [{ id: 'y', type: 'dense', units: 2 }],
    };
    expect(() => decoderPlan(resolveSpec(image))).toThrow(
      'model inputs: expected one int32 token-id input of shape [T], got x float32 [4]',
    );
  });
});
