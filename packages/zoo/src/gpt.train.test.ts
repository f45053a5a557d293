import {
  buildModel,
  charVocabulary,
  encodeChars,
  languageModelWindows,
  loadMobyDick,
  train,
  useEngine,
} from '@netspec/backend-tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gptGenerator } from './gpt.js';

// Real training on tfjs (wasm): a small GPT with the tied head learns Moby Dick's characters,
// and training moves one embedding matrix that both the lookup and the logits use.
describe('gptGenerator trains (tfjs, causalLm recipe)', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('next-character loss falls; the tied matrix is one variable, and it moves', async () => {
    const text = loadMobyDick().slice(0, 12_000);
    const vocabulary = charVocabulary(text);
    const windows = languageModelWindows(encodeChars(text, vocabulary), 33);
    const spec = gptGenerator({
      vocabularySize: vocabulary.chars.length,
      contextLength: 32,
      layers: 2,
      heads: 2,
      width: 32,
      dropout: 0,
    });
    // A higher learning rate than GPT-2's, for a tiny model and three epochs.
    spec.training = {
      loss: { type: 'sparseCategoricalCrossentropy', fromLogits: true },
      optimizer: { type: 'adam', learningRate: 0.003 },
      batchSize: 32,
      epochs: 3,
      recipe: { type: 'causalLm' },
    };
    const model = buildModel(spec, { seed: 1 });
    const embeddings = [...model.weights.keys()].filter((k) => k.endsWith('embeddings'));
    expect(embeddings).toEqual([
      'wte.token_embedding.embeddings',
      'wte.position_embedding.embeddings',
    ]);
    const table = model.weights.get('wte.token_embedding.embeddings')?.variable;
    const before = table?.dataSync().slice();
    const { history } = await train(model, { x: windows.x, y: {}, size: windows.size });
    const loss = history.map((h) => h.loss as number);
    // Uniform guessing over the characters is ln(vocabulary) nats per token.
    expect(loss[0]).toBeLessThan(Math.log(vocabulary.chars.length));
    expect(loss[2]).toBeLessThan((loss[0] as number) - 0.3);
    const after = table?.dataSync();
    expect(after?.some((v, i) => v !== before?.[i])).toBe(true);
    model.dispose();
  }, 120_000);
});
