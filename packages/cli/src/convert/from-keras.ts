import { layerKind, SPEC_VERSION } from '@netspec/spec';
import {
  camelCase,
  KERAS_CLASS,
  NETSPEC_TYPE,
  NEUTRAL_KEYS,
  RENAMED_BACK,
  UNMAPPABLE,
} from './keras-table.js';
import { valueFromKeras } from './keras-values.js';

// TensorFlow.js layers-model `model.json` / Keras `model.to_json()` -> netspec spec. Reads the
// Keras 2 topology tfjs writes, and Keras 3's inbound_nodes. Every layer that does not map is
// reported, not just the first.

type Json = Record<string, unknown>;
export type FromKerasResult = { ok: true; spec: Json } | { ok: false; problems: string[] };

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `{class_name, config}` of the model, wherever the file keeps it. */
export function kerasModelConfig(doc: Json): Json | undefined {
  const topology = isObject(doc.modelTopology) ? doc.modelTopology : doc;
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  return typeof model.class_name === 'string' ? model : undefined;
}

/** netspec ids are letters, digits and _; Keras names may hold `/`, `-` or start with a digit. */
function idMaker() {
  const used = new Set<string>();
  return (name: string) => {
    let id = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(id)) id = `_${id}`;
    const base = id;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    return id;
  };
}

/** The [name, nodeIndex, tensorIndex] triples a layer reads (Keras 2 lists, Keras 3 histories). */
function inboundRefs(node: unknown): [string, number, number][] {
  if (Array.isArray(node) && typeof node[0] === 'string') return [node as [string, number, number]];
  if (Array.isArray(node)) return node.flatMap(inboundRefs);
  if (!isObject(node)) return [];
  if (Array.isArray(node.keras_history)) return [node.keras_history as [string, number, number]];
  return Object.values(node).flatMap(inboundRefs);
}

interface Converted {
  layer?: Json;
  input?: Json;
  problems: string[];
}

/** One Keras layer (not an InputLayer) as a netspec layer without inputs. */
function convertLayer(where: string, entry: Json, id: string): Converted {
  const className = String(entry.class_name);
  const at = `${where} (class ${className})`;
  const type = NETSPEC_TYPE[className];
  if (!type) {
    const reason =
      UNMAPPABLE[className] ??
      `unknown Keras class; netspec maps ${Object.values(KERAS_CLASS).join(', ')}`;
    return { problems: [`${at}: ${reason}`] };
  }
  const fields = layerKind(type)?.config.shape ?? {};
  const config = isObject(entry.config) ? entry.config : {};
  const layer: Json = { id, type };
  const problems: string[] = [];
  for (const [key, v] of Object.entries(config)) {
    // null is "not set" except in merge_mode, where it means "return both directions".
    if ((v === null && key !== 'merge_mode') || key === 'trainable') continue;
    if (key in NEUTRAL_KEYS) {
      const neutral = NEUTRAL_KEYS[key];
      if (neutral !== undefined && !same(v, neutral))
        problems.push(`${at}: ${key} ${JSON.stringify(v)} has no netspec equivalent`);
      continue;
    }
    const field = RENAMED_BACK[key] ?? camelCase(key);
    if (!(field in fields)) {
      problems.push(`${at}: option ${key} has no netspec equivalent`);
      continue;
    }
    if (field === 'layer' && isObject(v)) {
      // bidirectional's wrapped recurrent layer, converted like a layer of its own.
      const inner = convertLayer(`${where}.layer`, v, '');
      problems.push(...inner.problems);
      const { id: _, ...config } = inner.layer ?? {};
      layer.layer = config;
      continue;
    }
    const c = valueFromKeras(field, v);
    if ('problem' in c) problems.push(`${at}: ${c.problem}`);
    else layer[field] = c.value;
  }
  if (config.trainable === false) layer.trainable = false;
  return { layer, problems };
}

/** An input from an InputLayer config or the first Sequential layer's batch_input_shape. */
function inputOf(at: string, config: Json, id: string): Converted {
  const batchShape = config.batch_input_shape ?? config.batch_shape;
  if (!Array.isArray(batchShape) || batchShape.length < 2)
    return { problems: [`${at}: expected batch_input_shape [null, ...dims]`] };
  const dtype = typeof config.dtype === 'string' ? config.dtype : 'float32';
  if (dtype !== 'float32' && dtype !== 'int32')
    return { problems: [`${at}: dtype "${dtype}"; netspec inputs are float32 or int32`] };
  return { input: { id, shape: batchShape.slice(1), dtype }, problems: [] };
}

/** Converts a parsed layers-model / Keras JSON document to a netspec spec (not yet validated). */
export function kerasToSpec(doc: Json): FromKerasResult {
  const model = kerasModelConfig(doc);
  if (!model) return { ok: false, problems: ['no Keras model config (expected class_name)'] };
  const kind = String(model.class_name);
  if (!['Sequential', 'Model', 'Functional'].includes(kind))
    return {
      ok: false,
      problems: [`model class ${kind}; expected Sequential, Model or Functional`],
    };
  const config = Array.isArray(model.config) ? { layers: model.config } : (model.config as Json);
  const entries = (isObject(config) && Array.isArray(config.layers) ? config.layers : []) as Json[];
  if (entries.length === 0) return { ok: false, problems: ['the model has no layers'] };

  const makeId = idMaker();
  const ids = new Map<string, string>();
  const inputs: Json[] = [];
  const layers: Json[] = [];
  const problems: string[] = [];
  const sequential = kind === 'Sequential';
  for (const [i, raw] of entries.entries()) {
    const entry = isObject(raw) ? raw : {};
    const c = isObject(entry.config) ? entry.config : {};
    const name = String(entry.name ?? c.name ?? `layer_${i}`);
    const where = `layers[${i}]`;
    const id = makeId(name);
    ids.set(name, id);
    if (entry.class_name === 'InputLayer') {
      const r = inputOf(`${where} (class InputLayer)`, c, id);
      problems.push(...r.problems);
      if (r.input) inputs.push(r.input);
      continue;
    }
    if (sequential && i === 0) {
      // A Sequential without InputLayer carries its input shape on the first layer.
      const r = inputOf(`${where} (class ${entry.class_name})`, c, makeId('input'));
      problems.push(...r.problems);
      if (r.input) inputs.push(r.input);
    }
    const r = convertLayer(where, entry, id);
    problems.push(...r.problems);
    if (!r.layer) continue;
    if (!sequential) {
      const calls = Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : [];
      if (calls.length > 1)
        problems.push(
          `${where} (class ${entry.class_name}): called ${calls.length} times (shared weights); netspec layers are called once`,
        );
      r.layer.inputs = inboundRefs(calls[0]).map(([n, , t]) => {
        const ref = ids.get(n) ?? makeId(n);
        return t ? `${ref}:${t}` : ref;
      });
    }
    layers.push(r.layer);
  }
  if (problems.length) return { ok: false, problems };
  if (!sequential) pruneShorthand(inputs, layers);
  const outputs = sequential ? [] : refsOf(config.output_layers, ids);
  const last = layers.at(-1)?.id;
  const meta =
    isObject(doc.userDefinedMetadata) && isObject(doc.userDefinedMetadata.netspec)
      ? doc.userDefinedMetadata.netspec
      : {};
  const name =
    typeof config.name === 'string' ? config.name.replace(/[^A-Za-z0-9_.-]/g, '_') : 'model';
  return {
    ok: true,
    spec: {
      specVersion: SPEC_VERSION,
      name: typeof meta.name === 'string' ? meta.name : name.replace(/^[.-]/, '_') || 'model',
      ...(typeof meta.description === 'string' ? { description: meta.description } : {}),
      inputs,
      layers,
      ...(outputs.length && !same(outputs, [last]) ? { outputs } : {}),
      ...(isObject(meta.training) ? { training: meta.training } : {}),
    },
  };
}

/** output_layers ([[name, 0, i], ...] or one flat triple) as netspec references. */
function refsOf(v: unknown, ids: Map<string, string>): string[] {
  if (!Array.isArray(v)) return [];
  const triples = (typeof v[0] === 'string' ? [v] : v) as [string, number, number][];
  return triples.map(([n, , t]) => {
    const id = ids.get(n) ?? n;
    return t ? `${id}:${t}` : id;
  });
}

/** Drops `inputs` that the sequential shorthand implies (the previous layer, or the one input). */
function pruneShorthand(inputs: Json[], layers: Json[]): void {
  let previous = inputs.length === 1 ? inputs[0]?.id : undefined;
  for (const layer of layers) {
    if (previous !== undefined && same(layer.inputs, [previous])) delete layer.inputs;
    previous = layer.id;
  }
}
