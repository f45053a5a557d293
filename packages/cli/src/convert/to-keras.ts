import type { ResolvedModel, ResolvedNode } from '@netspec/spec';
import { VERSION } from '../version.js';
import { KERAS_CLASS, type MappedType, RENAMED, snakeCase } from './keras-table.js';
import { valueToKeras } from './keras-values.js';

// netspec spec -> TensorFlow.js layers-model `model.json` (Keras 2 topology, no weights). A plain
// chain becomes a Sequential; anything else a functional Model with inbound_nodes.

type Json = Record<string, unknown>;

/** What a conversion gives: the document, or every layer that does not map and why. */
export type ConvertResult = { ok: true; doc: Json } | { ok: false; problems: string[] };

/** Keras names cannot hold the dots of block paths (`stage1.0.conv1`). */
const kerasName = (path: string) => path.replaceAll('.', '_');

/** True when each node reads only the previous node's single output: a Sequential. */
function isChain(m: ResolvedModel): boolean {
  if (m.inputs.length !== 1 || m.outputs.length !== 1) return false;
  let previous = m.inputs[0]?.name;
  for (const node of m.nodes) {
    if (node.inputs.length !== 1 || node.inputs[0]?.name !== previous) return false;
    if (node.outputs.length !== 1) return false;
    previous = node.outputs[0]?.name;
  }
  return m.outputs[0]?.name === previous;
}

/** Keras config keys and values of a netspec layer's fields (a wrapped layer recursively). */
function kerasConfig(layer: Json, name: string, where: string, problems: string[]): Json {
  const config: Json = { name, trainable: layer.trainable ?? true };
  for (const [field, v] of Object.entries(layer)) {
    if (['id', 'type', 'inputs', 'trainable'].includes(field) || v === undefined) continue;
    if (field === 'layer') {
      // bidirectional's wrapped recurrent layer: {class_name, config} as Keras nests it.
      const inner = v as Json;
      const className = KERAS_CLASS[inner.type as MappedType];
      config.layer = {
        class_name: className,
        config: kerasConfig(inner, `${name}_${snakeCase(String(inner.type))}`, where, problems),
      };
      continue;
    }
    const c = valueToKeras(field, v);
    if ('problem' in c) problems.push(`${where}: ${c.problem}`);
    else config[RENAMED[field] ?? snakeCase(field)] = c.value;
  }
  return config;
}

/** The Keras config of one node, or the reasons it has none. */
function layerConfig(node: ResolvedNode): { config?: Json; problems: string[] } {
  const where = `${node.pointer} (${node.layer.type})`;
  if (!(node.layer.type in KERAS_CLASS))
    return { problems: [`${where}: no Keras layer in TensorFlow.js's layers format`] };
  if (Object.keys(node.refs).length)
    return { problems: [`${where}: its mask inputs have no Keras equivalent here`] };
  const problems: string[] = [];
  const config = kerasConfig(node.layer as Json, kerasName(node.path), where, problems);
  return { config, problems };
}

/** The tensor reference Keras writes: [layer name, node index, tensor index, kwargs]. */
function tensorRef(name: string): [string, number, number] {
  const [layer = name, index = '0'] = name.split(':');
  return [kerasName(layer), 0, Number(index)];
}

/** A resolved spec as a layers-model `model.json`; training and description ride in metadata. */
export function specToKeras(m: ResolvedModel): ConvertResult {
  const sequential = isChain(m);
  const problems: string[] = [];
  const layers: Json[] = m.inputs.map((input) => ({
    class_name: 'InputLayer',
    config: {
      batch_input_shape: [null, ...input.shape],
      dtype: input.dtype,
      sparse: false,
      name: input.name,
    },
    ...(sequential ? {} : { name: input.name, inbound_nodes: [] }),
  }));
  for (const node of m.nodes) {
    const { config, problems: p } = layerConfig(node);
    problems.push(...p);
    if (!config) continue;
    const className = KERAS_CLASS[node.layer.type as MappedType];
    layers.push(
      sequential
        ? { class_name: className, config }
        : {
            class_name: className,
            config,
            name: config.name,
            inbound_nodes: [node.inputs.map((t) => [...tensorRef(t.name), {}])],
          },
    );
  }
  if (problems.length) return { ok: false, problems };
  const name = m.spec.name.replace(/[^A-Za-z0-9_]/g, '_');
  const modelConfig = sequential
    ? { class_name: 'Sequential', config: { name, layers } }
    : {
        class_name: 'Model',
        config: {
          name,
          layers,
          input_layers: m.inputs.map((t) => [t.name, 0, 0]),
          output_layers: m.outputs.map((t) => tensorRef(t.name)),
        },
      };
  const { name: specName, description, training } = m.spec;
  return {
    ok: true,
    doc: {
      format: 'layers-model',
      generatedBy: `netspec ${VERSION}`,
      convertedBy: null,
      modelTopology: { keras_version: '2.15.0', backend: 'tensorflow', model_config: modelConfig },
      weightsManifest: [],
      userDefinedMetadata: { netspec: { name: specName, description, training } },
    },
  };
}
