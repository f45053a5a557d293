import {
  type ResolvedModel,
  type ResolvedNode,
  readSafetensors,
  tensorToFloat32,
} from '@netspec/spec';
import { UserError } from './user-error.js';

// A trained spec as a TensorFlow.js layers model (model.json + weights.bin), for users who serve
// with tf.loadLayersModel. tfjs-layers lacks several of netspec's kinds (multi-head attention,
// GRU with resetAfter, sampling, ...) and its graph-model format needs a TensorFlow GraphDef, so
// this writes what tfjs-layers represents exactly: a chain of the kinds below. Anything else
// is refused by name; ONNX (onnxruntime-web) serves every spec.

type Config = Record<string, unknown>;
type Converter = (c: Config) => { className: string; config: Config };

const ACTIVATIONS = new Set([
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'tanh',
  'softmax',
  'softplus',
  'softsign',
  'swish',
]);

const pair = (v: unknown) => (Array.isArray(v) ? v : [v, v]);
const activation = (a: unknown) => {
  if (typeof a !== 'string' || !ACTIVATIONS.has(a))
    throw new Unsupported(`activation ${JSON.stringify(a)}`);
  return a;
};
class Unsupported extends Error {}

const pool = (className: string) => (c: Config) => ({
  className,
  config: {
    pool_size: pair(c.poolSize),
    strides: pair(c.strides ?? c.poolSize),
    padding: c.padding,
    data_format: 'channels_last',
  },
});

/** Keras class and config of each kind tfjs-layers runs as netspec does. */
const CONVERTERS: Record<string, Converter> = {
  dense: (c) => ({
    className: 'Dense',
    config: { units: c.units, activation: activation(c.activation), use_bias: c.useBias },
  }),
  conv2d: (c) => {
    if (c.groups !== 1) throw new Unsupported('grouped convolution');
    if (c.padding !== 'same' && c.padding !== 'valid')
      throw new Unsupported(`padding ${c.padding}`);
    return {
      className: 'Conv2D',
      config: {
        filters: c.filters,
        kernel_size: pair(c.kernelSize),
        strides: pair(c.strides),
        padding: c.padding,
        dilation_rate: pair(c.dilationRate),
        activation: activation(c.activation),
        use_bias: c.useBias,
        data_format: 'channels_last',
      },
    };
  },
  maxPool2d: pool('MaxPooling2D'),
  avgPool2d: pool('AveragePooling2D'),
  flatten: () => ({ className: 'Flatten', config: {} }),
  dropout: (c) => ({ className: 'Dropout', config: { rate: c.rate } }),
  activation: (c) => ({
    className: 'Activation',
    config: { activation: activation(c.activation) },
  }),
};

export const TFJS_LAYER_KINDS = Object.keys(CONVERTERS);

/** Why the model cannot be a tfjs layers model, or undefined when it can. */
function problem(model: ResolvedModel, node: ResolvedNode, previous: string): string | undefined {
  if (!Object.hasOwn(CONVERTERS, node.layer.type))
    return `layer "${node.path}" is ${node.layer.type}`;
  if (node.inputs.length !== 1 || node.inputs[0]?.name !== previous)
    return `layer "${node.path}" does not read the layer before it (tfjs export takes chains)`;
  if (node.tied.length) return `layer "${node.path}" shares weights`;
  return model.inputs.length === 1 ? undefined : 'the model has several inputs';
}

/** model.json (weights in `weightsFile`) and the weights' bytes, little-endian float32. */
export function tfjsLayersModel(
  model: ResolvedModel,
  weightBytes: Uint8Array,
  weightsFile = 'weights.bin',
): { modelJson: string; weights: Uint8Array } {
  const input = model.inputs[0];
  const layers: Config[] = [];
  let previous = input?.name ?? '';
  for (const node of model.nodes) {
    const why = problem(model, node, previous);
    let converted: ReturnType<Converter> | undefined;
    try {
      converted = why ? undefined : CONVERTERS[node.layer.type]?.(node.layer as unknown as Config);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      throw new UserError(
        `--format tfjs: layer "${node.path}" (${node.layer.type}) uses ${e.message}, which tfjs-layers does not run as netspec does; export to ONNX instead`,
      );
    }
    if (!converted)
      throw new UserError(
        `--format tfjs: ${why}; a tfjs layers model here is a chain of ${TFJS_LAYER_KINDS.join(', ')} (export to ONNX for every kind)`,
      );
    const config: Config = { name: node.path, trainable: true, ...converted.config };
    if (layers.length === 0) {
      config.batch_input_shape = [null, ...(input?.shape ?? [])];
      config.dtype = 'float32';
    }
    layers.push({ class_name: converted.className, config });
    previous = node.outputs[0]?.name ?? '';
  }
  if (model.outputs.length !== 1 || model.outputs[0]?.name !== previous)
    throw new UserError('--format tfjs: expected one output, the last layer of the chain');
  const file = readSafetensors(weightBytes);
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const parts: Float32Array[] = [];
  // tfjs names weights <layer>/<param> and reads them in the layer's own order (kernel, bias).
  for (const node of model.nodes)
    for (const p of node.params) {
      const t = file.tensors.get(p.path);
      if (!t) throw new UserError(`--format tfjs: weight "${p.path}" is missing from the run`);
      specs.push({ name: `${node.path}/${p.name}`, shape: [...t.shape], dtype: 'float32' });
      parts.push(tensorToFloat32(t));
    }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'netspec',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: model.spec.name, layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [weightsFile], weights: specs }],
  };
  return {
    modelJson: `${JSON.stringify(modelJson, null, 2)}\n`,
    weights: new Uint8Array(all.buffer),
  };
}
