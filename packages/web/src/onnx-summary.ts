// A graph summary (inputs, outputs, op counts, external data) read straight from ONNX bytes in
// the browser. It walks protobuf's wire format for the few ModelProto fields it needs (field
// numbers from onnx.proto), so the page needs no protobuf library and no Node code.

/** An untrusted .onnx that cannot be summarized: the message names the file and byte offset. */
export class OnnxSummaryError extends Error {
  override readonly name = 'OnnxSummaryError';
}

/** A graph input or output: its element type and shape (a string is a symbolic dimension). */
export interface ValueSummary {
  name: string;
  /** ONNX TensorProto.DataType name: `float32`, `int64`, ... (`unknown` when not a tensor). */
  type: string;
  shape: (number | string)[];
}

export interface OnnxSummary {
  irVersion: number;
  producer: string;
  /** ai.onnx is written as "" in files; here it is "ai.onnx". */
  opsets: Record<string, number>;
  inputs: ValueSummary[];
  outputs: ValueSummary[];
  nodeCount: number;
  /** Op type -> how many nodes of the top-level graph use it, most used first. */
  opCounts: [string, number][];
  initializerCount: number;
  /** Files named by initializers stored outside the .onnx (external data). */
  externalFiles: string[];
  /** The model's metadata_props (netspec writes `netspec.context_length` there, for one). */
  metadata: Record<string, string>;
}

// TensorProto.DataType numbers -> onnxruntime-web's tensor type names.
const DTYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
};

type Field = { field: number; value: number | Uint8Array };
/** The file being read: its name for messages, and where its bytes start in their buffer. */
type File = { source: string; start: number; size: number };

/** The (field, value) pairs of one message; length-delimited values are views into the file. */
function fields(bytes: Uint8Array, file: File): Field[] {
  const out: Field[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    const offset = bytes.byteOffset - file.start + pos;
    throw new OnnxSummaryError(
      `${file.source}: byte ${offset}: ${what}; not an ONNX model, or a truncated one (${file.size} bytes)`,
    );
  };
  const varint = (): number => {
    let value = 0;
    for (let shift = 0; shift < 70; shift += 7) {
      if (pos >= bytes.length) fail('a number runs past the end');
      const b = bytes[pos++] as number;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    return fail('a number longer than 10 bytes');
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) fail('field number 0');
    if (wire === 0) out.push({ field, value: varint() });
    else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
      if (pos > bytes.length) fail('a fixed-size value runs past the end');
    } else if (wire === 2) {
      const length = varint();
      const start = pos;
      if (start + length > bytes.length) fail(`a ${length}-byte field runs past the end`);
      pos += length;
      out.push({ field, value: bytes.subarray(start, pos) });
    } else fail(`wire type ${wire} (protobuf groups are not ONNX)`);
  }
  return out;
}

const text = (v: Field['value']) => (typeof v === 'number' ? '' : new TextDecoder().decode(v));
const sub = (fs: Field[], n: number) =>
  fs.filter((f) => f.field === n && typeof f.value !== 'number').map((f) => f.value as Uint8Array);
const num = (fs: Field[], n: number) =>
  fs.find((f) => f.field === n && typeof f.value === 'number')?.value as number | undefined;
const str = (fs: Field[], n: number) => {
  const v = sub(fs, n)[0];
  return v ? text(v) : '';
};

function valueInfo(bytes: Uint8Array, file: File): ValueSummary {
  const v = fields(bytes, file);
  const tensor = sub(v, 2).flatMap((t) => sub(fields(t, file), 1))[0];
  if (!tensor) return { name: str(v, 1), type: 'unknown', shape: [] };
  const t = fields(tensor, file);
  const dims = sub(t, 2).flatMap((s) => sub(fields(s, file), 1));
  return {
    name: str(v, 1),
    type: DTYPES[num(t, 1) ?? 0] ?? `dtype ${num(t, 1)}`,
    shape: dims.map((d) => {
      const dim = fields(d, file);
      return num(dim, 1) ?? (str(dim, 2) || '?');
    }),
  };
}

/** Summarizes ONNX bytes; anything that is not a ModelProto is an `OnnxSummaryError`. */
export function summarizeOnnx(bytes: Uint8Array, source = 'model'): OnnxSummary {
  if (bytes.length === 0) throw new OnnxSummaryError(`${source}: the file is empty`);
  const file: File = { source, start: bytes.byteOffset, size: bytes.length };
  const model = fields(bytes, file);
  const graphBytes = sub(model, 7)[0];
  const irVersion = num(model, 1) ?? 0;
  if (!irVersion || !graphBytes) {
    throw new OnnxSummaryError(
      `${source}: not an ONNX ModelProto (${irVersion ? 'no graph' : 'no IR version'}; ${bytes.length} bytes)`,
    );
  }
  const opsets: Record<string, number> = {};
  for (const o of sub(model, 8).map((b) => fields(b, file))) {
    opsets[str(o, 1) || 'ai.onnx'] = num(o, 2) ?? 0;
  }
  const metadata: Record<string, string> = {};
  for (const m of sub(model, 14).map((b) => fields(b, file))) metadata[str(m, 1)] = str(m, 2);
  const graph = fields(graphBytes, file);
  const initializers = sub(graph, 5).map((b) => fields(b, file));
  const initNames = new Set(initializers.map((t) => str(t, 8)));
  const externalFiles = new Set<string>();
  for (const t of initializers) {
    if (num(t, 14) !== 1) continue;
    for (const e of sub(t, 13).map((b) => fields(b, file))) {
      if (str(e, 1) === 'location') externalFiles.add(str(e, 2));
    }
  }
  const counts = new Map<string, number>();
  const nodes = sub(graph, 1);
  for (const n of nodes) {
    const op = str(fields(n, file), 4);
    counts.set(op, (counts.get(op) ?? 0) + 1);
  }
  const values = (n: number) => sub(graph, n).map((b) => valueInfo(b, file));
  return {
    irVersion,
    producer: str(model, 2),
    opsets,
    // Before IR 4 initializers were listed as inputs too; the user feeds only the others.
    inputs: values(11).filter((v) => !initNames.has(v.name)),
    outputs: values(12),
    nodeCount: nodes.length,
    opCounts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    initializerCount: initializers.length,
    externalFiles: [...externalFiles],
    metadata,
  };
}
