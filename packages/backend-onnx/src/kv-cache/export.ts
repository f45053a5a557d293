import { type ResolvedModel, resolveSpec, type SafetensorsFile, SPEC_VERSION } from '@netspec/spec';
import { EMITTERS } from '../emit/registry.js';
import { ExportError } from '../errors.js';
import { checkEmbeddedSize } from '../export/external-data.js';
import { checkedWeights } from '../export/weights.js';
import { checkOptions, emitNode } from '../export.js';
import { GraphBuilder } from '../graph/builder.js';
import { modelProto } from '../graph/model.js';
import { encodeModel } from '../proto/codec.js';
import { DataType } from '../proto/types.js';
import { NETSPEC_ONNX_VERSION } from '../version.js';
import { CACHE_NAMES, cachedEmitters } from './emitters.js';
import { cachePlan } from './plan.js';

export interface CacheExportOptions {
  /** Default-domain opset (default 17). */
  opset?: number;
  /**
   * Also take `position_ids` (int64, [batch_size, sequence_length]) as Optimum's GPT-2 export
   * does, for left-padded batches; default false: positions are P + 0..T-1.
   */
  positionIds?: boolean;
}

/** Symbolic dimensions, named as Optimum names them. */
const BATCH = 'batch_size';
const NEW = 'sequence_length';
const PAST = 'past_sequence_length';
const TOTAL = 'past_sequence_length + sequence_length';

/** Metadata key of the position table's size (the most positions the model reads). */
export const CONTEXT_LENGTH_KEY = 'netspec.context_length';

const isResolved = (x: unknown): x is ResolvedModel =>
  typeof x === 'object' && x !== null && Array.isArray((x as ResolvedModel).nodes);

/**
 * A GPT-style spec (int32 token ids -> embeddings -> transformerDecoder layers -> per-position
 * logits) as the bytes of a decoder-with-past ONNX model, named as transformers.js and Optimum
 * name them: inputs `input_ids` and `attention_mask` (int64; optional `position_ids`) and
 * `past_key_values.{i}.key` / `.value` (float32, [batch_size, heads, past_sequence_length,
 * head_dim]; empty at the first step), outputs `logits` and `present.{i}.key` / `.value`. A spec
 * of another shape is an `ExportError` naming the layer that does not fit.
 */
export function exportOnnxWithCache(
  spec: unknown,
  weights: SafetensorsFile | Uint8Array,
  options: CacheExportOptions = {},
): Uint8Array {
  const { opset } = checkOptions({ opset: options.opset });
  const positionIds = options.positionIds ?? false;
  if (typeof positionIds !== 'boolean')
    throw new ExportError(`option positionIds: expected true or false, got ${String(positionIds)}`);
  const model = isResolved(spec) ? spec : resolveSpec(spec);
  const plan = cachePlan(model);
  const file = checkedWeights(model, weights);
  const graph = new GraphBuilder(model.spec.name);

  const layers = plan.decoders.map((node, i) => {
    const heads = (node.layer as { numHeads: number }).numHeads;
    const headDim = (node.inputs[0]?.shape.at(-1) as number) / heads;
    return { i, heads, headDim };
  });
  const fixed: string[] = [
    CACHE_NAMES.ids,
    CACHE_NAMES.mask,
    ...(positionIds ? [CACHE_NAMES.positions] : []),
  ];
  for (const { i } of layers)
    for (const part of ['key', 'value'] as const)
      fixed.push(CACHE_NAMES.past(i, part), CACHE_NAMES.present(i, part));
  const outputName = plan.output.name;
  if (outputName !== CACHE_NAMES.logits) fixed.push(CACHE_NAMES.logits);
  try {
    for (const name of fixed) graph.reserve(name);
    for (const node of model.nodes) for (const t of node.outputs) graph.reserve(t.name);
  } catch {
    const taken = model.nodes
      .flatMap((n) => n.outputs.map((t) => t.name))
      .filter((n) => fixed.includes(n));
    throw new ExportError(
      `kvCache: layer names ${taken.map((n) => `"${n}"`).join(', ')} are taken by the graph's inputs and outputs; rename the layer`,
    );
  }

  const ids = [BATCH, NEW];
  graph.input(CACHE_NAMES.ids, DataType.INT64, ids);
  graph.input(CACHE_NAMES.mask, DataType.INT64, [BATCH, TOTAL]);
  if (positionIds) graph.input(CACHE_NAMES.positions, DataType.INT64, ids);
  for (const { i, heads, headDim } of layers)
    for (const part of ['key', 'value'] as const)
      graph.input(CACHE_NAMES.past(i, part), DataType.FLOAT, [BATCH, heads, PAST, headDim]);

  const values = new Map<string, string>([[plan.input.name, CACHE_NAMES.ids]]);
  const emitters = { ...EMITTERS, ...cachedEmitters(plan, positionIds) };
  const initializers = new Map<string, string>();
  for (const node of model.nodes)
    emitNode(graph, node, file, opset, values, initializers, emitters);

  const logits = values.get(outputName) as string;
  if (logits !== CACHE_NAMES.logits)
    graph.op('Identity', [logits], {}, { output: CACHE_NAMES.logits });
  graph.output(CACHE_NAMES.logits, DataType.FLOAT, [BATCH, NEW, plan.vocabularySize]);
  for (const { i, heads, headDim } of layers)
    for (const part of ['key', 'value'] as const)
      graph.output(CACHE_NAMES.present(i, part), DataType.FLOAT, [BATCH, heads, TOTAL, headDim]);

  const proto = modelProto(graph.build(), {
    opset,
    producerVersion: NETSPEC_ONNX_VERSION,
    metadata: {
      'netspec.spec_version': String(SPEC_VERSION),
      'netspec.model': model.spec.name,
      [CONTEXT_LENGTH_KEY]: String(plan.contextLength),
    },
  });
  checkEmbeddedSize(proto.graph?.initializer ?? []);
  return encodeModel(proto);
}
