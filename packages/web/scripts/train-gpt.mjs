// Trains a small netspec GPT (the zoo's gptGenerator, 2 layers, width 64) as a character model of
// Moby Dick with tfjs, and exports it to ONNX with a KV cache for the demo page, with its vocabulary:
// node scripts/train-gpt.mjs [--windows 15000] [--epochs 1] [--out demo/public/gpt-moby-dick]
// The files are committed, so the demo builds without training; rerun this to refresh them.
import { parseArgs } from 'node:util';
import { exportOnnxWithCache } from '@netspec/backend-onnx';
import {
  buildModel,
  charVocabulary,
  encodeChars,
  evaluate,
  languageModelWindows,
  loadMobyDick,
  saveWeights,
  slice,
  splitByPosition,
  train,
  useEngine,
  writeFileAtomic,
} from '@netspec/backend-tfjs';
import { gptGenerator } from '@netspec/zoo';

const { values } = parseArgs({
  options: {
    windows: { type: 'string', default: '15000' },
    epochs: { type: 'string', default: '1' },
    out: { type: 'string', default: 'demo/public/gpt-moby-dick' },
  },
});
await useEngine('wasm');
const CONTEXT = 64;
const text = loadMobyDick();
const vocabulary = charVocabulary(text);
const parts = splitByPosition(encodeChars(text, vocabulary), 0.1);
const trainSet = slice(
  languageModelWindows(parts.train, CONTEXT, { name: 'moby-dick train' }),
  0,
  Number(values.windows),
);
const validSet = slice(
  languageModelWindows(parts.validation, CONTEXT, { name: 'moby-dick val' }),
  0,
  256,
);
const spec = gptGenerator({
  vocabularySize: vocabulary.chars.length,
  contextLength: CONTEXT,
  layers: 2,
  heads: 4,
  width: 64,
  dropout: 0,
  name: 'gpt-moby-dick',
});
const steps = Number(values.epochs) * Math.ceil(trainSet.size / 32);
// A short run wants a higher learning rate than GPT-2's 3e-4, with warmup and decay.
spec.training = {
  ...spec.training,
  batchSize: 32,
  epochs: Number(values.epochs),
  validationSplit: undefined,
  optimizer: {
    type: 'adamw',
    weightDecay: 0.01,
    globalClipNorm: 1,
    learningRate: {
      type: 'cosineDecay',
      initialLearningRate: 1e-4,
      warmupTarget: 3e-3,
      warmupSteps: Math.floor(steps / 10),
      decaySteps: steps,
      alpha: 0.1,
    },
  },
};
const model = buildModel(spec, { seed: 1 });
const before = evaluate(model, validSet).loss;
const started = performance.now();
await train(model, trainSet, {
  onEpoch: (e) => console.log(`epoch ${e.epoch + 1}: loss ${e.logs.loss?.toFixed(3)}`),
});
const seconds = (performance.now() - started) / 1000;
const after = evaluate(model, validSet).loss;
// With a KV cache (past_key_values in, present out): one new token per step.
const bytes = exportOnnxWithCache(model.resolved, saveWeights(model));
await writeFileAtomic(`${values.out}.onnx`, bytes);
await writeFileAtomic(
  `${values.out}.json`,
  `${JSON.stringify({ chars: vocabulary.chars, contextLength: CONTEXT }, null, 2)}\n`,
);
console.log(
  `gpt-moby-dick: ${model.resolved.totalParams} parameters, ${trainSet.size} windows of ${CONTEXT} characters, ` +
    `${values.epochs} epoch(s) in ${seconds.toFixed(0)} s; validation loss ${before.toFixed(3)} -> ${after.toFixed(3)} nats/char; ` +
    `wrote ${values.out}.onnx (${bytes.length} bytes)`,
);
