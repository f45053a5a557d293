import { buildModel, tf, useEngine } from '@netspec/backend-tfjs';
import { resolveSpec, validateSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { BERT_SIZES, bertClassifier } from './bert.js';

/**
 * Hugging Face transformers' BertModel (embeddings + encoder + pooler) for vocabulary V,
 * positions P, 2 token types, L layers, width H, intermediate I = 4H:
 * V*H + P*H + 2*H (embeddings) + 2*H (LayerNorm)
 * + L * (4*H^2 + 4*H (attention) + 2*H (LayerNorm) + 2*H*I + I + H (FFN) + 2*H (LayerNorm))
 * + H^2 + H (pooler).
 */
function bertModelParams(L: number, H: number, V = 30_522, P = 512): number {
  const I = 4 * H;
  const block = 4 * H * H + 4 * H + 2 * H + 2 * H * I + I + H + 2 * H;
  return V * H + P * H + 2 * H + 2 * H + L * block + H * H + H;
}

describe('bertClassifier', () => {
  it('the formula reproduces the published BertModel counts', () => {
    // transformers: BertModel(BertConfig()).num_parameters() == 109,482,240 (bert-base-uncased)
    expect(bertModelParams(12, 768)).toBe(109_482_240);
    // google/bert_uncased_L-2_H-128_A-2 (bert-tiny): 4,385,920
    expect(bertModelParams(2, 128)).toBe(4_385_920);
  });

  for (const [name, s] of Object.entries(BERT_SIZES)) {
    it(`${name}: BertModel's count + the 2-class head`, () => {
      const model = resolveSpec(bertClassifier(s));
      const head = s.width * 2 + 2;
      expect(model.trainableParams).toBe(bertModelParams(s.layers, s.width) + head);
      expect(model.outputs[0]?.shape).toEqual([2]);
    });
  }

  it('three int32 inputs of free length; post-LN GELU blocks share the attention mask', () => {
    const spec = bertClassifier({ layers: 2, width: 128, heads: 2, numClasses: 3 });
    expect(spec.inputs.map((i) => [i.id, i.shape, i.dtype])).toEqual([
      ['input_ids', [null], 'int32'],
      ['token_type_ids', [null], 'int32'],
      ['attention_mask', [null], 'int32'],
    ]);
    const model = resolveSpec(spec);
    const blocks = model.nodes.filter((n) => n.layer.type === 'transformerEncoder');
    expect(blocks.map((n) => n.path)).toEqual(['encoder.0.layer', 'encoder.1.layer']);
    for (const b of blocks) {
      expect(b.refs.paddingMask?.name).toBe('attention_mask');
      expect(b.layer).toMatchObject({ normalizeFirst: false, activation: 'gelu' });
      expect(b.layer).toMatchObject({ layerNormEpsilon: 1e-12, intermediateDim: 512 });
    }
    expect(model.outputs[0]?.shape).toEqual([3]);
  });

  it('without dropout there are no dropout layers; bad options throw', () => {
    const spec = bertClassifier({ layers: 1, width: 64, heads: 2, dropout: 0 });
    expect(validateSpec(spec).ok).toBe(true);
    expect(spec.layers.some((l) => l.type === 'dropout')).toBe(false);
    expect(() => bertClassifier({ width: 100, heads: 3 })).toThrow(
      'bertClassifier: heads must divide width 100, got 3',
    );
    expect(() => bertClassifier({ layers: 0 })).toThrow(/layers must be a positive integer/);
  });

  it('on tfjs, padding behind attention_mask = 0 does not change the prediction', async () => {
    await useEngine('cpu');
    const s = { vocabularySize: 50, maxPositions: 16, layers: 2, width: 16, heads: 2, dropout: 0 };
    const model = buildModel(bertClassifier(s), { seed: 4 });
    const probs = (ids: number[]) => {
      const int = (v: number[]) => tf.tensor2d([v], [1, v.length], 'int32');
      const feeds = {
        input_ids: int(ids),
        token_type_ids: int([0, 0, 0, 1, 1, 1]),
        attention_mask: int([1, 1, 1, 1, 0, 0]),
      };
      // The [CLS] hidden state after the encoder (LayerNorm'd, so changes are not scaled away)
      const y = model.forward(feeds, { outputs: ['cls'] }).outputs.cls as tf.Tensor;
      return Array.from(y.dataSync());
    };
    const base = probs([2, 7, 9, 11, 0, 0]);
    const padded = probs([2, 7, 9, 11, 42, 13]);
    const changed = probs([2, 7, 9, 12, 0, 0]);
    const gap = (a: number[], b: number[]) =>
      Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))));
    expect(gap(base, padded)).toBeLessThan(1e-5);
    expect(gap(base, changed)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
