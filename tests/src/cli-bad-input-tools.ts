import { exportOnnx } from '@netspec/backend-onnx';
import { writeSafetensors } from '@netspec/spec';
import { trainTokenizer } from '@netspec/zoo';
import type { BadInputCase } from './cli-harness.js';

// Bad-input rows of convert, bench, doctor, zoo show --set and generate (the table is in
// cli-bad-input.test.ts).

// A Sequential whose second layer runs Python code (Keras Lambda).
const KERAS_WITH_LAMBDA = JSON.stringify({
  class_name: 'Sequential',
  config: {
    name: 'lambda_model',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], name: 'x' } },
      { class_name: 'Lambda', config: { name: 'double', function: ['4wEAAAAA', null, null] } },
      { class_name: 'Dense', config: { name: 'out', units: 2 } },
    ],
  },
});
const SPEC_WITH_SLICE = JSON.stringify({
  specVersion: 1,
  name: 'sliced',
  inputs: [{ id: 'x', shape: [4, 3] }],
  layers: [{ id: 'first', type: 'slice', axis: 1, start: 0, end: 1, squeeze: true }],
});

// A real ONNX model without a KV cache (one dense layer over ids), and a real tokenizer.
const PLAIN_ONNX = exportOnnx(
  {
    specVersion: 1,
    name: 'plain',
    inputs: [{ id: 'x', shape: [2] }],
    layers: [{ id: 'y', type: 'dense', units: 1 }],
  },
  writeSafetensors({
    'y.kernel': { dtype: 'F32', shape: [2, 1], data: Float32Array.of(1, 2) },
    'y.bias': { dtype: 'F32', shape: [1], data: Float32Array.of(0) },
  }),
);
const TOKENIZER = JSON.stringify(trainTokenizer('char', 'hi there').toJSON());

export const TOOL_CASES: BadInputCase[] = [
  {
    name: 'convert: a Keras model with a Lambda layer',
    args: ['convert', '{dir}/model.json', '-o', '{dir}/out.json'],
    files: { 'model.json': KERAS_WITH_LAMBDA },
    message: /layers\[1\] \(class Lambda\): no netspec equivalent; netspec runs no user code/,
  },
  {
    name: 'convert: neither a spec nor a Keras model',
    args: ['convert', '{dir}/x.json', '-o', '{dir}/out.json'],
    files: { 'x.json': '{ "hello": 1 }' },
    message: /x\.json: unknown format; expected a netspec spec .* or a Keras model\.json/,
  },
  {
    name: 'convert: not JSON',
    args: ['convert', '{dir}/x.json', '-o', '{dir}/out.json'],
    files: { 'x.json': '{ "layers": [' },
    message: /x\.json: not valid JSON/,
  },
  {
    name: 'convert: output under a file',
    args: ['convert', 'zoo:lenet5', '-o', '{dir}/file.txt/out.json'],
    files: { 'file.txt': 'x' },
    message: /--out .*file\.txt\/out\.json: .*file\.txt is not a directory/,
  },
  {
    name: 'convert: no -o',
    args: ['convert', '{dir}/x.json'],
    files: { 'x.json': '{}' },
    message: /required option '-o, --out <file>'/,
  },
  {
    name: 'convert: a layer Keras has no class for',
    args: ['convert', '{dir}/spec.json', '-o', '{dir}/out.json'],
    files: { 'spec.json': SPEC_WITH_SLICE },
    message:
      /spec\.json: does not map to Keras \(1 problem\):[\s\S]*\/layers\/0 \(slice\): no Keras layer/,
  },
  {
    name: 'bench: unknown model',
    args: ['bench', '--model', 'resnet9', '-o', '{dir}/b.json'],
    message: /--model "resnet9": unknown for the inference suite; expected one of mlp, lenet5/,
  },
  {
    name: 'bench: unknown engine',
    args: ['bench', '--engine', 'cuda', '-o', '{dir}/b.json'],
    message:
      /--engine "cuda": unknown for the inference suite; expected one of tfjs-wasm, tfjs-cpu, ort-node, ort-web/,
  },
  {
    name: 'bench: a training engine in the inference suite',
    args: ['bench', '--engine', 'wasm'],
    message: /--engine "wasm": unknown for the inference suite/,
  },
  {
    name: 'bench: unknown suite',
    args: ['bench', '--suite', 'speed'],
    message: /--suite "speed": expected one of inference, training/,
  },
  {
    name: 'bench: seconds not a number',
    args: ['bench', '--seconds', 'fast'],
    message: /--seconds <s>' argument 'fast' is invalid\. expected seconds in \(0, 3600\]/,
  },
  {
    name: 'bench: output under a file',
    args: ['bench', '--model', 'mlp', '--engine', 'ort-node', '-o', '{dir}/f/b.json'],
    files: { f: 'x' },
    message: /--out .*f\/b\.json: .* is not a directory/,
  },
  { name: 'doctor: unknown flag', args: ['doctor', '--gpu'], message: /unknown option '--gpu'/ },
  {
    name: 'zoo show --set: unknown key',
    args: ['zoo', 'show', 'gpt-nano', '--set', 'layer=2'],
    message: /--set: gpt-nano: unknown option "layer"; expected one of vocabularySize, .*layers/,
  },
  {
    name: 'zoo show --set: bad value',
    args: ['zoo', 'show', 'gpt-nano', '--set', 'layers=-1'],
    message: /--set: gpt-nano: option "layers": expected an integer >= 1, got "-1"/,
  },
  {
    name: "zoo show --set: no '='",
    args: ['zoo', 'show', 'gpt-nano', '--set', 'layers'],
    message: /--set <key=value>' argument 'layers' is invalid\. expected key=value/,
  },
  {
    name: 'zoo show --set: values that do not fit together',
    args: ['zoo', 'show', 'gpt-nano', '--set', 'heads=5'],
    message: /--set: gpt-nano: heads must divide width 48, got 5/,
  },
  {
    name: 'zoo show --set: unknown preset',
    args: ['zoo', 'show', 'gpt-tiny', '--set', 'layers=2'],
    message: /unknown zoo preset "gpt-tiny"/,
  },
  {
    name: 'generate: top-p above 1',
    args: ['generate', '{dir}', '--prompt', 'hi', '--top-p', '2'],
    message: /--top-p <p>' argument '2' is invalid\. expected a number in \(0, 1\]/,
  },
  {
    name: 'generate: negative temperature',
    args: ['generate', '{dir}', '--prompt', 'hi', '--temperature', '-1'],
    message: /--temperature <t>' argument '-1' is invalid\. expected a number >= 0/,
  },
  {
    name: 'generate: unknown engine',
    args: ['generate', '{dir}', '--prompt', 'hi', '--engine', 'cuda'],
    message:
      /--engine <name>' argument 'cuda' is invalid\. Allowed choices are tfjs, ort-node, ort-web/,
  },
  {
    name: 'generate: zero new tokens',
    args: ['generate', '{dir}', '--prompt', 'hi', '--max-new-tokens', '0'],
    message: /--max-new-tokens <n>' argument '0' is invalid\. expected a positive integer/,
  },
  {
    name: 'generate: no prompt',
    args: ['generate', '{dir}'],
    message: /required option '--prompt <text>' not specified/,
  },
  {
    name: 'generate: a run dir without its tokenizer',
    args: ['generate', '{dir}/run', '--prompt', 'hi'],
    files: { 'run/spec.json': '{}', 'run/weights.safetensors': 'x' },
    message: /run\/tokenizer\.json: missing; expected the model's tokenizer\.json beside it/,
  },
  {
    name: 'generate: a tokenizer that is not JSON',
    args: ['generate', '{dir}/run', '--prompt', 'hi'],
    files: { 'run/spec.json': '{}', 'run/tokenizer.json': 'nope' },
    message: /tokenizer\.json: expected JSON/,
  },
  {
    name: 'generate: tfjs on an ONNX file',
    args: ['generate', '{dir}/m.onnx', '--prompt', 'hi', '--engine', 'tfjs'],
    files: { 'm.onnx': 'x' },
    message: /--engine tfjs: needs a run directory .* got the file .*m\.onnx/,
  },
  {
    name: 'generate: an ONNX model without a KV cache',
    args: ['generate', '{dir}/plain.onnx', '--prompt', 'hi'],
    files: { 'plain.onnx': PLAIN_ONNX, 'tokenizer.json': TOKENIZER },
    message:
      /plain\.onnx: expected a decoder-with-past model .* with inputs input_ids and attention_mask/,
  },
];
