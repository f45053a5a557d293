import { OnnxFileError } from '../errors.js';
import { decodeModel } from '../proto/codec.js';
import { DataType, type GraphProto, type ModelProto } from '../proto/types.js';
import type { OnnxEngine } from './create.js';
import { checkSupport } from './support.js';

/** protobuf's 2 GiB limit: a ModelProto larger than this cannot be parsed by any runtime. */
const MAX_MODEL_BYTES = 2 ** 31 - 1;

const BYTES_PER_ELEMENT: Partial<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.DOUBLE]: 8,
  [DataType.FLOAT16]: 2,
  [DataType.INT8]: 1,
  [DataType.UINT8]: 1,
  [DataType.BOOL]: 1,
};

/**
 * Decodes and checks the bytes of an ONNX model before an engine sees them: empty, oversized,
 * truncated or foreign bytes, and graphs whose values or initializers do not add up, each get an
 * `OnnxFileError` naming `source` and what is wrong. The model's `opset_import` is in the result;
 * with `engine`, an ai.onnx opset newer than that engine runs, or an operator domain it does not
 * implement, is an `OnnxFileError` too (see `checkSupport`).
 */
export function readOnnx(bytes: Uint8Array, source = 'model', engine?: OnnxEngine): ModelProto {
  if (bytes.length === 0) throw new OnnxFileError(`${source}: the file is empty`);
  if (bytes.length > MAX_MODEL_BYTES) {
    throw new OnnxFileError(
      `${source}: ${bytes.length} bytes is over protobuf's 2 GiB limit for one ModelProto`,
    );
  }
  let model: ModelProto;
  try {
    model = decodeModel(bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new OnnxFileError(
      `${source}: not an ONNX model, or a truncated one (${bytes.length} bytes): protobuf says "${reason}"`,
    );
  }
  const notOnnx = (what: string) =>
    new OnnxFileError(`${source}: not an ONNX ModelProto (${what}; ${bytes.length} bytes)`);
  if (!model.ir_version || model.ir_version < 1) throw notOnnx('no IR version');
  if (!model.graph) throw notOnnx('no graph');
  if (!model.opset_import?.length) throw notOnnx('no opset import');
  checkGraph(model.graph, source);
  if (engine) checkSupport(model, engine, source);
  return model;
}

/** Every node input is defined before use, every initializer holds its dims, outputs exist. */
function checkGraph(graph: GraphProto, source: string): void {
  const defined = new Set<string>(['']);
  for (const v of graph.input ?? []) defined.add(v.name ?? '');
  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    const count = (t.dims ?? []).reduce((a, b) => a * b, 1);
    const size = BYTES_PER_ELEMENT[t.data_type ?? 0];
    if (t.raw_data && size !== undefined && t.raw_data.length !== count * size) {
      throw new OnnxFileError(
        `${source}: initializer "${name}" holds ${t.raw_data.length} bytes for dims [${(t.dims ?? []).join(', ')}] (${count * size} expected); the file may be truncated`,
      );
    }
    defined.add(name);
  }
  (graph.node ?? []).forEach((n, i) => {
    for (const input of n.input ?? []) {
      if (!defined.has(input)) {
        throw new OnnxFileError(
          `${source}: node ${i} (${n.op_type ?? '?'} "${n.name ?? ''}") reads "${input}", which nothing defines before it`,
        );
      }
    }
    for (const output of n.output ?? []) defined.add(output);
  });
  if (!graph.output?.length) throw new OnnxFileError(`${source}: the graph has no outputs`);
  for (const o of graph.output) {
    if (!defined.has(o.name ?? '')) {
      throw new OnnxFileError(`${source}: graph output "${o.name ?? ''}" is never computed`);
    }
  }
}
