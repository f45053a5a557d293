import { createRequire } from 'node:module';
import { type ResolvedModel, validateSpec } from '@netspec/spec';
import { lenet5, lstmClassifier, mlp } from '@netspec/zoo';
import { describe, expect, it } from 'vitest';
import { kerasToSpec } from './from-keras.js';
import { specToKeras } from './to-keras.js';

// TensorFlow.js's layers API, from the package that depends on it (the CLI does not).
const requireTfjs = createRequire(import.meta.resolve('@netspec/backend-tfjs'));
const tfjs = requireTfjs('@tensorflow/tfjs') as {
  loadLayersModel(handler: {
    load(): Promise<{ modelTopology: unknown }>;
  }): Promise<{ countParams(): number; layers: { name: string }[]; dispose(): void }>;
};

type Json = Record<string, unknown>;

function resolved(spec: unknown): ResolvedModel {
  const r = validateSpec(spec);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.model;
}

/** The graph as the backends see it: each node's config, wiring, output shapes and weights. */
const graphOf = (m: ResolvedModel) => ({
  inputs: m.inputs,
  nodes: m.nodes.map((n) => ({
    path: n.path,
    layer: n.layer,
    inputs: n.inputs.map((t) => t.name),
    outputs: n.outputs,
    params: n.params,
  })),
  outputs: m.outputs,
  totalParams: m.totalParams,
  trainableParams: m.trainableParams,
});

function toKeras(spec: unknown): Json {
  const r = specToKeras(resolved(spec));
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return JSON.parse(JSON.stringify(r.doc)) as Json;
}

function fromKeras(doc: Json): ResolvedModel {
  const r = kerasToSpec(doc);
  if (!r.ok) throw new Error(r.problems.join('\n'));
  return resolved(r.spec);
}

/** Builds the topology in TensorFlow.js itself (no weights: they are initialized). */
async function tfjsParams(doc: Json): Promise<number> {
  const model = await tfjs.loadLayersModel({
    load: async () => ({ modelTopology: doc.modelTopology }),
  });
  const n = model.countParams();
  model.dispose();
  return n;
}

const ZOO = {
  mlp: mlp({ inputShape: [784], hidden: [256, 128], classes: 10, dropout: 0.2 }),
  lenet5: lenet5(),
  lstm: lstmClassifier({ vocabularySize: 1000, sequenceLength: 32, embeddingDim: 16, units: 8 }),
  bilstm: lstmClassifier({
    vocabularySize: 500,
    sequenceLength: 16,
    units: 4,
    bidirectional: true,
  }),
};

describe('spec -> Keras model.json -> spec', () => {
  it.each(Object.entries(ZOO))(
    '%s keeps its resolved graph and parameter count',
    async (_n, spec) => {
      const before = resolved(spec);
      const doc = toKeras(spec);
      const after = fromKeras(doc);
      expect(graphOf(after)).toEqual(graphOf(before));
      expect(after.spec.training).toEqual(before.spec.training);
      // TensorFlow.js builds the same model from the Keras side.
      expect(await tfjsParams(doc)).toBe(before.totalParams);
    },
  );

  it('writes a chain as a Sequential with an InputLayer', () => {
    const doc = toKeras(ZOO.lenet5);
    const model = (doc.modelTopology as Json).model_config as {
      class_name: string;
      config: { layers: Json[] };
    };
    expect(model.class_name).toBe('Sequential');
    expect(model.config.layers[0]).toMatchObject({
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, 28, 28, 1] },
    });
    expect(model.config.layers[1]).toMatchObject({
      class_name: 'Conv2D',
      config: { filters: 6, kernel_size: 5, padding: 'same', activation: 'relu' },
    });
  });

  it('writes a graph with a skip connection as a functional Model', async () => {
    const spec = {
      specVersion: 1,
      name: 'skip',
      inputs: [{ id: 'x', shape: [8] }],
      layers: [
        { id: 'a', type: 'dense', units: 8, activation: 'relu' },
        { id: 'b', type: 'dense', units: 8 },
        { id: 'sum', type: 'add', inputs: ['x', 'b'] },
        { id: 'both', type: 'concatenate', inputs: ['a', 'sum'] },
        { id: 'out', type: 'dense', units: 2 },
      ],
    };
    const doc = toKeras(spec);
    const model = (doc.modelTopology as Json).model_config as { class_name: string };
    expect(model.class_name).toBe('Model');
    expect(graphOf(fromKeras(doc))).toEqual(graphOf(resolved(spec)));
    // 8*8+8 + 8*8+8 + 16*2+2 = 178
    expect(await tfjsParams(doc)).toBe(178);
  });
});

// Written by hand in the format of the Keras docs / tfjs-converter output.
const HAND_WRITTEN: Json = {
  format: 'layers-model',
  generatedBy: 'keras v2.15.0',
  convertedBy: 'TensorFlow.js Converter v4.22.0',
  modelTopology: {
    keras_version: '2.15.0',
    backend: 'tensorflow',
    model_config: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            class_name: 'InputLayer',
            config: {
              batch_input_shape: [null, 28, 28, 1],
              dtype: 'float32',
              sparse: false,
              ragged: false,
              name: 'input_1',
            },
          },
          {
            class_name: 'Conv2D',
            config: {
              name: 'conv2d',
              trainable: true,
              dtype: 'float32',
              filters: 32,
              kernel_size: [3, 3],
              strides: [1, 1],
              padding: 'valid',
              data_format: 'channels_last',
              dilation_rate: [1, 1],
              groups: 1,
              activation: 'relu',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
            },
          },
          {
            class_name: 'MaxPooling2D',
            config: {
              name: 'max_pooling2d',
              trainable: true,
              dtype: 'float32',
              pool_size: [2, 2],
              padding: 'valid',
              strides: [2, 2],
              data_format: 'channels_last',
            },
          },
          {
            class_name: 'Flatten',
            config: {
              name: 'flatten',
              trainable: true,
              dtype: 'float32',
              data_format: 'channels_last',
            },
          },
          {
            class_name: 'Dense',
            config: {
              name: 'dense',
              trainable: true,
              dtype: 'float32',
              units: 10,
              activation: 'softmax',
              use_bias: true,
              kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
              bias_initializer: { class_name: 'Zeros', config: {} },
              kernel_regularizer: null,
              bias_regularizer: null,
              activity_regularizer: null,
              kernel_constraint: null,
              bias_constraint: null,
            },
          },
        ],
      },
    },
  },
  weightsManifest: [],
};

describe('Keras model.json -> spec', () => {
  it('converts a hand-written Sequential with the parameter count Keras reports', async () => {
    const m = fromKeras(HAND_WRITTEN);
    // Conv2D: 3*3*1*32 + 32 = 320, output 26x26x32; MaxPooling2D -> 13x13x32 = 5408 values;
    // Dense: 5408*10 + 10 = 54,090. Keras's model.summary(): Total params: 54,410.
    expect(m.totalParams).toBe(54_410);
    expect(m.nodes.map((n) => n.layer.type)).toEqual(['conv2d', 'maxPool2d', 'flatten', 'dense']);
    expect(m.nodes[0]?.layer).toMatchObject({ id: 'conv2d', kernelSize: 3, activation: 'relu' });
    expect(m.outputs[0]?.shape).toEqual([10]);
    expect(await tfjsParams(HAND_WRITTEN)).toBe(54_410);
  });

  it('lists every layer that does not map, with the reason', () => {
    const doc = structuredClone(HAND_WRITTEN);
    const layers = ((doc.modelTopology as Json).model_config as { config: { layers: Json[] } })
      .config.layers;
    layers.splice(3, 0, { class_name: 'Lambda', config: { name: 'scale', function: 'x * 2' } });
    layers.push({ class_name: 'MyCustomLayer', config: { name: 'custom' } });
    (layers[1]?.config as Json).data_format = 'channels_first';
    const r = kerasToSpec(doc);
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([
      'layers[1] (class Conv2D): data_format "channels_first" has no netspec equivalent',
      'layers[3] (class Lambda): no netspec equivalent; netspec runs no user code',
      expect.stringMatching(
        /^layers\[6\] \(class MyCustomLayer\): unknown Keras class; netspec maps Dense, /,
      ),
    ]);
  });

  it('reads a functional model with Keras 3 inbound nodes and a shared layer as a problem', () => {
    const tensor = (name: string) => ({
      class_name: '__keras_tensor__',
      config: { keras_history: [name, 0, 0] },
    });
    const doc: Json = {
      class_name: 'Functional',
      config: {
        name: 'two-heads',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { batch_shape: [null, 4], dtype: 'float32', name: 'x' },
            inbound_nodes: [],
          },
          {
            class_name: 'Dense',
            name: 'h',
            config: { name: 'h', units: 3 },
            inbound_nodes: [{ args: [tensor('x')], kwargs: {} }],
          },
          {
            class_name: 'Dense',
            name: 'y1',
            config: { name: 'y1', units: 2 },
            inbound_nodes: [{ args: [tensor('h')], kwargs: {} }],
          },
          {
            class_name: 'Dense',
            name: 'y2',
            config: { name: 'y2', units: 1 },
            inbound_nodes: [{ args: [tensor('h')], kwargs: {} }],
          },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [
          ['y1', 0, 0],
          ['y2', 0, 0],
        ],
      },
    };
    const m = fromKeras(doc);
    expect(m.spec.name).toBe('two-heads');
    expect(m.outputs.map((t) => t.name)).toEqual(['y1', 'y2']);
    expect(m.nodes[2]?.inputs.map((t) => t.name)).toEqual(['h']);
    expect(m.totalParams).toBe(4 * 3 + 3 + 3 * 2 + 2 + 3 + 1);
    const layers = (doc.config as { layers: Json[] }).layers;
    (layers[3] as Json).inbound_nodes = [{ args: [tensor('h')] }, { args: [tensor('y1')] }];
    const r = kerasToSpec(doc);
    expect(r.ok ? [] : r.problems).toEqual([
      'layers[3] (class Dense): called 2 times (shared weights); netspec layers are called once',
    ]);
  });
});
