import {
  type Dtype,
  type ResolvedModel,
  type ResolvedNode,
  resolveSpec,
  type SafetensorsFile,
  SPEC_VERSION,
} from '@netspec/spec';
import type { EmitContext } from './emit/kind.js';
import { EMITTERS } from './emit/registry.js';
import { ExportError } from './errors.js';
import {
  checkEmbeddedSize,
  checkLocation,
  type ExternalDataOptions,
  type OnnxWithExternalData,
  toExternalData,
} from './export/external-data.js';
import { declareInputs, type InputLayout } from './export/layout.js';
import { checkedWeights, weightValues } from './export/weights.js';
import { GraphBuilder, type ValueDim } from './graph/builder.js';
import { modelProto, SUPPORTED_OPSETS } from './graph/model.js';
import { encodeModel } from './proto/codec.js';
import { DataType, type ModelProto } from './proto/types.js';
import { NETSPEC_ONNX_VERSION } from './version.js';

export interface ExportOptions {
  /** Default-domain opset (default 17, IR version 8); newer opsets use newer ops where they exist. */
  opset?: number;
  /**
   * Graph input layout: channels-last as in the spec (default), or 'nchw': float inputs of rank 3
   * or more (B, ..., C) are declared channels-first (B, C, ...) and transposed inside the graph.
   * Outputs keep the spec's layout either way.
   */
  layout?: InputLayout;
  /** Also make every layer's output tensor a graph output (by its spec name), for debugging parity. */
  exposeAll?: boolean;
}

const ELEM_TYPE: Record<Dtype, number> = { float32: DataType.FLOAT, int32: DataType.INT32 };

const isResolved = (x: unknown): x is ResolvedModel =>
  typeof x === 'object' && x !== null && Array.isArray((x as ResolvedModel).nodes);

/**
 * Batch is `batch`; free lengths are `seq`, `seq_2`, ... counted over all inputs in order. Each
 * gets its own name: onnxruntime requires equal sizes for equal names, and two inputs' free
 * lengths (an encoder's and a decoder's) may differ.
 */
function inputDims(shapes: readonly (readonly (number | null)[])[]): ValueDim[][] {
  let free = 0;
  return shapes.map((shape) => [
    'batch',
    ...shape.map((d) => (d !== null ? d : ++free === 1 ? 'seq' : `seq_${free}`)),
  ]);
}

export function checkOptions(options: ExportOptions): Required<Omit<ExportOptions, 'exposeAll'>> {
  const opset = options.opset ?? 17;
  if (!SUPPORTED_OPSETS.includes(opset)) {
    throw new ExportError(
      `option opset: expected one of ${SUPPORTED_OPSETS.join(', ')}, got ${String(opset)}`,
    );
  }
  const layout = options.layout ?? 'nhwc';
  if (layout !== 'nhwc' && layout !== 'nchw') {
    throw new ExportError(`option layout: expected 'nhwc' or 'nchw', got ${String(layout)}`);
  }
  return { opset, layout };
}

/**
 * A spec (or its resolved model) and its weights as the bytes of an ONNX ModelProto, weights
 * embedded. Values keep the spec's tensor names; the graph's outputs are the spec's outputs.
 * Weights over what one file can hold (2 GiB) are an `ExportError`: use
 * `exportOnnxWithExternalData`.
 */
export function exportOnnx(
  spec: unknown,
  weights: SafetensorsFile | Uint8Array,
  options: ExportOptions = {},
): Uint8Array {
  if ((options as { externalData?: unknown }).externalData !== undefined) {
    throw new ExportError(
      'option externalData: exportOnnx embeds the weights; call exportOnnxWithExternalData',
    );
  }
  const proto = exportModelProto(spec, weights, options);
  checkEmbeddedSize(proto.graph?.initializer ?? []);
  return encodeModel(proto);
}

/**
 * As `exportOnnx`, with every initializer's bytes in a separate data file (ONNX external data):
 * `model` names it by `externalData.location`, a bare file name that must sit next to the model
 * file when it is loaded (onnxruntime resolves it relative to the model's path). Each tensor
 * starts at a 4096-byte aligned offset of `data`.
 */
export function exportOnnxWithExternalData(
  spec: unknown,
  weights: SafetensorsFile | Uint8Array,
  options: ExportOptions & { externalData: ExternalDataOptions },
): OnnxWithExternalData {
  const location = checkLocation(options.externalData?.location);
  const { externalData: _, ...rest } = options;
  const external = toExternalData(exportModelProto(spec, weights, rest), location);
  return { model: encodeModel(external.model), data: external.data };
}

function exportModelProto(
  spec: unknown,
  weights: SafetensorsFile | Uint8Array,
  options: ExportOptions,
): ModelProto {
  const { opset, layout } = checkOptions(options);
  const model = isResolved(spec) ? spec : resolveSpec(spec);
  const file = checkedWeights(model, weights);
  const graph = new GraphBuilder(model.spec.name);
  const dims = inputDims(model.inputs.map((t) => t.shape));
  for (const input of model.inputs) graph.reserve(input.name);
  for (const node of model.nodes) for (const t of node.outputs) graph.reserve(t.name);
  const values = declareInputs(
    graph,
    model.inputs.map((t, i) => ({
      name: t.name,
      dtype: t.dtype,
      elemType: ELEM_TYPE[t.dtype],
      dims: dims[i] as ValueDim[],
    })),
    layout,
  );
  // Initializers by weight path: a tied weight is written once, where its owner stores it.
  const initializers = new Map<string, string>();
  for (const node of model.nodes) emitNode(graph, node, file, opset, values, initializers);

  const inputNames = new Set(model.inputs.map((t) => t.name));
  const outputs = [...model.outputs];
  if (options.exposeAll) {
    const named = new Set(outputs.map((t) => t.name));
    for (const node of model.nodes)
      for (const t of node.outputs) if (!named.has(t.name) && named.add(t.name)) outputs.push(t);
  }
  for (const out of outputs) {
    if (inputNames.has(out.name)) {
      throw new ExportError(`output "${out.name}" is a graph input; ONNX needs a layer between`);
    }
    const value = values.get(out.name) as string;
    // An output that is another value (a dropout's input) gets its spec name through Identity.
    if (value !== out.name) graph.op('Identity', [value], {}, { output: out.name });
    graph.output(out.name, ELEM_TYPE[out.dtype], ['batch', ...out.shape]);
  }
  return modelProto(graph.build(), {
    opset,
    producerVersion: NETSPEC_ONNX_VERSION,
    metadata: { 'netspec.spec_version': String(SPEC_VERSION), 'netspec.model': model.spec.name },
  });
}

/** Emits one node through `emitters` (the kv-cache export swaps in its own for a few kinds). */
export function emitNode(
  graph: GraphBuilder,
  node: ResolvedNode,
  file: SafetensorsFile,
  opset: number,
  values: Map<string, string>,
  initializers: Map<string, string>,
  emitters: Record<string, unknown> = EMITTERS,
): void {
  const paramOf = (name: string) => {
    const param =
      node.params.find((p) => p.name === name) ?? node.tied.find((p) => p.name === name);
    if (!param) throw new ExportError(`${node.path}: the layer has no weight "${name}"`);
    return param;
  };
  const ctx: EmitContext = {
    graph,
    node,
    opset,
    weightData: (name) =>
      weightValues(file, node.tied.find((p) => p.name === name)?.path ?? `${node.path}.${name}`),
    weight(name) {
      const param = paramOf(name);
      let init = initializers.get(param.path);
      if (init === undefined) {
        init = graph.initializer(param.path, ctx.weightData(name), param.shape);
        initializers.set(param.path, init);
      }
      return init;
    },
    outputName: (index = 0) => (node.outputs[index] as { name: string }).name,
    refs: Object.fromEntries(
      Object.entries(node.refs).map(([field, t]) => [field, values.get(t.name) as string]),
    ),
    op: (op, inputs, attrs = {}, output) =>
      graph.op(op, inputs, attrs, { base: `${node.path}/${op}`, ...(output ? { output } : {}) }),
    int64s: (base, v) => graph.int64s(`${node.path}/${base}`, v),
    scalar: (base, v) => graph.scalar(`${node.path}/${base}`, v),
  };
  const inputs = node.inputs.map((t) => values.get(t.name) as string);
  const emitter = emitters[node.layer.type] as {
    emit(c: unknown, inputs: string[], ctx: EmitContext): string[];
  };
  const outs = emitter.emit(node.layer, inputs, ctx);
  if (outs.length !== node.outputs.length) {
    throw new Error(`${node.path}: emitter gave ${outs.length} outputs for ${node.outputs.length}`);
  }
  node.outputs.forEach((t, i) => {
    values.set(t.name, outs[i] as string);
  });
}
