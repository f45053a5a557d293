import { exportOnnx } from '@netspec/backend-onnx';
import { buildModel, dataArray, saveWeights, writeNpy } from '@netspec/backend-tfjs';
import { preset } from '@netspec/zoo';
import type { BadInputCase } from './cli-harness.js';

// Bad-input rows of train, evaluate, export, predict and parity (the table is in
// cli-bad-input.test.ts). Run directories here hold real seeded weights.

const json = (x: unknown) => JSON.stringify(x);

const idsSpec = {
  specVersion: 1,
  name: 'ids',
  inputs: [{ id: 'ids', shape: [4], dtype: 'int32' }],
  layers: [
    { id: 'emb', type: 'embedding', inputDim: 10, outputDim: 3 },
    { id: 'flat', type: 'flatten' },
    { id: 'probs', type: 'dense', units: 2, activation: 'softmax' },
  ],
  training: { loss: 'sparseCategoricalCrossentropy', optimizer: 'adam' },
};
const lenet = preset('lenet5');

function weightsOf(spec: unknown): Uint8Array {
  const model = buildModel(spec, { seed: 1 });
  const bytes = saveWeights(model);
  model.dispose();
  return bytes;
}
const idsWeights = weightsOf(idsSpec);
const lenetWeights = weightsOf(lenet);

const lenetRun = { 'run/spec.json': json(lenet), 'run/weights.safetensors': lenetWeights };
const idsRun = { 'run/spec.json': json(idsSpec), 'run/weights.safetensors': idsWeights };
const lstm = preset('lstm-forecaster');
const lstmRun = { 'run/spec.json': json(lstm), 'run/weights.safetensors': weightsOf(lstm) };
const lenetOnnx = { 'm.onnx': exportOnnx(lenet, lenetWeights) };
const smallNpy = writeNpy(dataArray(new Float32Array(20), [4, 5]));

export const TRAIN_EXPORT_CASES: BadInputCase[] = [
  {
    name: 'train: a language model on image data',
    args: ['train', 'zoo:gpt-nano', '--data', 'mnist', '--out', '{dir}/run'],
    message: /--data mnist: gpt-nano is a language model; expected a text corpus \(moby-dick/,
  },
  {
    name: 'train: a token table that does not fit the corpus',
    args: ['train', 'zoo:gpt-nano', '--data', 'moby-dick', '--out', '{dir}/run'],
    message:
      /83 distinct characters but gpt-nano's logits cover 50257 tokens; .*--set vocabularySize=83/,
  },
  {
    name: 'export: --kv-cache of a model that is not a GPT',
    args: ['export', '{dir}/run', '--kv-cache', '-o', '{dir}/m.onnx'],
    files: lenetRun,
    message:
      /kvCache: model inputs: expected one int32 token-id input of shape \[T\], got image float32/,
  },
  {
    name: 'train: missing spec file',
    args: ['train', '{dir}/nope.json', '--data', 'mnist', '--out', '{dir}/run'],
    message: /nope\.json: no such file/,
  },
  {
    name: 'train: a directory as the spec',
    args: ['train', '{dir}/sub', '--data', 'mnist', '--out', '{dir}/run'],
    files: { 'sub/x': 'x' },
    message: /sub: is a directory; expected a netspec JSON spec/,
  },
  {
    name: 'train: spec not JSON',
    args: ['train', '{dir}/bad.json', '--data', 'mnist', '--out', '{dir}/run'],
    files: { 'bad.json': '{ "layers": [' },
    message: /bad\.json is not a valid netspec spec/,
  },
  {
    name: 'train: a wrong spec',
    args: ['train', '{dir}/s.json', '--data', 'mnist', '--out', '{dir}/run'],
    files: { 's.json': json({ ...idsSpec, layers: [{ id: 'd', type: 'dense', units: -4 }] }) },
    message: /not a valid netspec spec/,
  },
  {
    name: 'train: spec without a training section',
    args: ['train', '{dir}/s.json', '--data', 'mnist', '--out', '{dir}/run'],
    files: { 's.json': json({ ...idsSpec, training: undefined }) },
    message: /no "training" section/,
  },
  {
    name: 'train: unknown dataset name',
    args: ['train', 'zoo:lenet5', '--data', 'mnsit', '--out', '{dir}/run'],
    message: /--data: data source "mnsit".*\(did you mean "mnist"\?\)/,
  },
  {
    name: 'train: data that does not fit the model',
    args: ['train', 'zoo:lenet5', '--data', '{dir}/x.npy', '--out', '{dir}/run'],
    files: { 'x.npy': smallNpy },
    message: /input "image": expected samples of shape \[28, 28, 1\], got \[5\]/,
  },
  {
    name: 'train: a bad --epochs value',
    args: ['train', 'zoo:lenet5', '--data', 'mnist', '--epochs', '0', '--out', '{dir}/run'],
    message: /--epochs.*expected a positive integer, got "0"/,
  },
  {
    name: 'train: --validation-split out of range',
    args: [
      'train',
      'zoo:lenet5',
      '--data',
      'mnist',
      '--validation-split',
      '1.5',
      '--out',
      '{dir}/r',
    ],
    message: /expected a number in \[0, 1\), got "1\.5"/,
  },
  {
    name: 'train: unknown engine',
    args: ['train', 'zoo:lenet5', '--data', 'mnist', '--engine', 'cuda', '--out', '{dir}/run'],
    message: /--engine.*Allowed choices are auto, wasm, cpu, tfjs-node, tfjs-node-gpu/,
  },
  {
    name: 'train: --out is a file',
    args: ['train', 'zoo:lenet5', '--data', 'mnist', '--out', '{dir}/f'],
    files: { f: 'x' },
    message: /--out .*f: is a file; expected a directory/,
  },
  {
    name: 'train: --resume a run without a checkpoint',
    args: ['train', '--resume', '{dir}/run'],
    files: lenetRun,
    message: /state\.json: missing; expected a checkpoint state/,
  },
  {
    name: 'train: --resume with --data',
    args: ['train', '--resume', '{dir}/run', '--data', 'mnist'],
    files: lenetRun,
    message: /--resume: --data comes from the run directory/,
  },
  {
    name: 'evaluate: run dir missing weights',
    args: ['evaluate', '{dir}/run', '--data', 'mnist:test'],
    files: { 'run/spec.json': json(lenet) },
    message: /weights\.safetensors: missing; expected the trained weights/,
  },
  {
    name: 'evaluate: a bad --min-accuracy',
    args: ['evaluate', '{dir}/run', '--data', 'mnist:test', '--min-accuracy', 'high'],
    files: lenetRun,
    message: /--min-accuracy.*expected a number, got "high"/,
  },
  {
    name: 'evaluate: a missing data file',
    args: ['evaluate', '{dir}/run', '--data', '{dir}/none.npy'],
    files: lenetRun,
    message: /none\.npy: expected a data file or directory, got nothing there/,
  },
  {
    name: 'export: mismatched weights in a run dir',
    args: ['export', '{dir}/run', '-o', '{dir}/m.onnx'],
    files: { 'run/spec.json': json(lenet), 'run/weights.safetensors': idsWeights },
    message: /run: .*(missing|unexpected|extra).*weight|weight.*(missing|unexpected|extra)/i,
  },
  {
    name: 'export: a file instead of a run dir',
    args: ['export', '{dir}/spec.json', '-o', '{dir}/m.onnx'],
    files: { 'spec.json': json(lenet) },
    message: /spec\.json: not a directory; expected a run directory/,
  },
  {
    name: 'export: unwritable output path',
    args: ['export', '{dir}/run', '-o', '{dir}/file/m.onnx'],
    files: { ...lenetRun, file: 'x' },
    message: /-o .*file\/m\.onnx: .*file is not a directory; expected a writable directory/,
  },
  {
    name: 'export: output is a directory',
    args: ['export', '{dir}/run', '-o', '{dir}/out'],
    files: { ...lenetRun, 'out/keep': 'x' },
    message: /-o .*out: is a directory; expected a file path/,
  },
  {
    name: 'export: unknown layout',
    args: ['export', '{dir}/run', '-o', '{dir}/m.onnx', '--layout', 'chw'],
    files: lenetRun,
    message: /--layout.*Allowed choices are nhwc, nchw/,
  },
  {
    name: 'export: --format tfjs of a kind tfjs-layers lacks',
    args: ['export', '{dir}/run', '--format', 'tfjs', '-o', '{dir}/web/model.json'],
    files: lstmRun,
    message: /--format tfjs: layer "\w+" is lstm; a tfjs layers model here is a chain of dense/,
  },
  {
    name: 'predict: missing input file',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.npy'],
    files: lenetOnnx,
    message: /--input .*x\.npy: no such file/,
  },
  {
    name: 'predict: wrong input shape',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.json'],
    files: { ...lenetOnnx, 'x.json': json([[1, 2, 3]]) },
    message: /input "image" expects samples of shape \[28, 28, 1\].*got \[1, 3\]/,
  },
  {
    name: 'predict: wrong input dtype (float ids)',
    args: ['predict', '{dir}/run', '--input', '{dir}/x.json', '--engine', 'tfjs'],
    files: { ...idsRun, 'x.json': json([[0.5, 1, 2, 3]]) },
    message: /input "ids" expects int32 ids, got float values/,
  },
  {
    name: 'predict: not an ONNX file',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.json'],
    files: { 'm.onnx': 'hello, not protobuf', 'x.json': '[0]' },
    message: /m\.onnx/,
  },
  {
    name: 'predict: not a PNG',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/d.png'],
    files: { ...lenetOnnx, 'd.png': 'GIF89a' },
    message: /d\.png: not a readable PNG/,
  },
  {
    name: 'predict: unknown engine',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.json', '--engine', 'onnx'],
    files: lenetOnnx,
    message: /--engine.*Allowed choices are tfjs, ort-node, ort-web/,
  },
  {
    name: 'predict: unknown provider',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.json', '--provider', 'rocm'],
    files: lenetOnnx,
    message: /--provider.*Allowed choices are cpu, cuda, wasm/,
  },
  {
    name: 'predict: a provider the engine lacks',
    args: [
      'predict',
      '{dir}/m.onnx',
      '--input',
      '{dir}/x.json',
      '--engine',
      'ort-web',
      '--provider',
      'cuda',
    ],
    files: { ...lenetOnnx, 'x.json': json(Array(784).fill(0)) },
    message: /--provider cuda: expected wasm with --engine ort-web/,
  },
  {
    name: 'predict: tfjs on an ONNX file',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.npy', '--engine', 'tfjs'],
    files: { ...lenetOnnx, 'x.npy': writeNpy(dataArray(new Float32Array(784), [28, 28, 1])) },
    message: /--engine tfjs: needs a run directory/,
  },
  {
    name: 'predict: unwritable -o',
    args: ['predict', '{dir}/m.onnx', '--input', '{dir}/x.json', '-o', '{dir}/f/y.npy'],
    files: { ...lenetOnnx, f: 'x' },
    message: /-o .*f\/y\.npy: .*is not a directory/,
  },
  {
    name: 'parity: unknown engine in --engines',
    args: ['parity', '{dir}/run', '--engines', 'tfjs,ort-gpu'],
    files: lenetRun,
    message: /--engines.*expected a comma-separated list of tfjs, ort-node, ort-web, got "ort-gpu"/,
  },
  {
    name: 'parity: a single engine',
    args: ['parity', '{dir}/run', '--engines', 'tfjs'],
    files: lenetRun,
    message: /--engines: expected at least two different engines/,
  },
];
