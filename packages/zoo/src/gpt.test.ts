import { buildModel, tf, useEngine } from '@netspec/backend-tfjs';
import { resolveSpec, validateSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { GPT_SIZES, gptGenerator } from './gpt.js';

/**
 * Hugging Face transformers' GPT2LMHeadModel with its tied head, vocabulary V, positions P,
 * L layers, width D (FFN 4D): V*D + P*D (wte, wpe) + L*(12*D^2 + 13*D) + 2*D (ln_f).
 */
const gpt2LmHeadParams = (L: number, D: number, V = 50_257, P = 1024) =>
  V * D + P * D + L * (12 * D * D + 13 * D) + 2 * D;

describe('gptGenerator', () => {
  it("the formula reproduces GPT2LMHeadModel('gpt2')'s 124,439,808", () => {
    expect(gpt2LmHeadParams(12, 768)).toBe(124_439_808);
  });

  for (const [name, s] of Object.entries(GPT_SIZES)) {
    it(`${name}: GPT2LMHeadModel's count at vocabulary 50,257 and 1024 positions`, () => {
      const model = resolveSpec(gptGenerator(s));
      expect(model.trainableParams).toBe(gpt2LmHeadParams(s.layers, s.width));
    });
  }

  it('input_ids of free length -> logits (T, vocab); pre-norm tanh-GELU blocks; causalLm', () => {
    const spec = gptGenerator({
      vocabularySize: 83,
      contextLength: 64,
      layers: 2,
      heads: 2,
      width: 32,
    });
    expect(spec.inputs).toEqual([{ id: 'input_ids', shape: [null], dtype: 'int32' }]);
    const model = resolveSpec(spec);
    expect(model.outputs.map((o) => [o.name, o.shape])).toEqual([['logits', [null, 83]]]);
    const blocks = model.nodes.filter((n) => n.layer.type === 'transformerDecoder');
    expect(blocks.map((n) => n.path)).toEqual(['h.0.layer', 'h.1.layer']);
    expect(blocks[0]?.layer).toMatchObject({
      normalizeFirst: true,
      activation: 'geluTanh',
      layerNormEpsilon: 1e-5,
      intermediateDim: 128,
    });
    expect(model.nodes.at(-1)?.tied.map((p) => p.path)).toEqual(['wte.token_embedding.embeddings']);
    expect(spec.training).toMatchObject({
      loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
      recipe: { type: 'causalLm' },
    });
  });

  it('an untied head adds V*D; the context bounds a fixed length', () => {
    const s = { vocabularySize: 100, contextLength: 16, layers: 1, heads: 2, width: 8 };
    const tied = resolveSpec(gptGenerator(s)).trainableParams;
    expect(resolveSpec(gptGenerator({ ...s, tied: false })).trainableParams).toBe(tied + 800);
    const long = gptGenerator(s);
    long.inputs[0] = { id: 'input_ids', shape: [17], dtype: 'int32' };
    const r = validateSpec(long);
    expect(r.ok ? [] : r.issues.map((i) => i.pointer)).toEqual(['/layers/0/sequenceLength']);
  });

  it('rejects bad options in one line', () => {
    expect(() => gptGenerator({ width: 50, heads: 3 })).toThrow(
      'gptGenerator: heads must divide width 50, got 3',
    );
    expect(() => gptGenerator({ layers: 1.5 })).toThrow(
      'gptGenerator: layers must be a positive integer, got 1.5',
    );
    expect(() => gptGenerator({ dropout: 1 })).toThrow(
      'gptGenerator: dropout must be in [0, 1), got 1',
    );
  });

  it('is causal on tfjs: later tokens leave earlier logits unchanged', async () => {
    await useEngine('cpu');
    const s = { vocabularySize: 20, contextLength: 8, layers: 2, heads: 2, width: 16, dropout: 0 };
    const model = buildModel(gptGenerator(s), { seed: 3 });
    const logits = (ids: number[]) => {
      const [y] = model.predict(tf.tensor2d([ids], [1, ids.length], 'int32'));
      return (y as tf.Tensor).arraySync() as number[][][];
    };
    const a = logits([1, 2, 3, 4, 5, 6]);
    const b = logits([1, 2, 3, 9, 9, 9]);
    const diff = (t: number) =>
      Math.max(...(a[0]?.[t] ?? []).map((v, i) => Math.abs(v - (b[0]?.[t]?.[i] ?? 0))));
    for (const t of [0, 1, 2]) expect(diff(t), `position ${t}`).toBeLessThan(1e-6);
    expect(diff(3)).toBeGreaterThan(1e-3);
    model.dispose();
  });
});
