import {
  DataType,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../proto/types.js';
import { type Attr, attributeProto } from './attributes.js';

/** Initializer data: float32 weights, int32 or int64 constants (shapes, axes, indices). */
export type InitializerData = Float32Array | Int32Array | BigInt64Array;

/** A graph input or output dimension: a size, a symbolic name, or null (unknown). */
export type ValueDim = number | string | null;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dataType(data: InitializerData): number {
  if (data instanceof Float32Array) return DataType.FLOAT;
  return data instanceof Int32Array ? DataType.INT32 : DataType.INT64;
}

/** The little-endian bytes of a typed array (ONNX raw_data is little-endian). */
function rawBytes(data: InitializerData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  if (LITTLE_ENDIAN) return bytes;
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

function valueInfo(name: string, elemType: number, dims: readonly ValueDim[]): ValueInfoProto {
  const dim = dims.map((d) =>
    d === null ? {} : typeof d === 'string' ? { dim_param: d } : { dim_value: d },
  );
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

/**
 * Builds one ONNX graph: nodes in order, initializers, inputs and outputs, with value names kept
 * unique (`reserve` claims a name; `fresh` derives a new one from a base).
 */
export class GraphBuilder {
  private readonly names = new Set<string>();
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];

  constructor(readonly name: string) {}

  /** Claims `name` exactly; throws if it is taken. */
  reserve(name: string): string {
    if (this.names.has(name)) throw new Error(`value name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  /** A new unique name: `base`, or `base_2`, `base_3`, ... when taken. */
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /**
   * Appends a node and returns its output names. `outputs` gives the names (reserved by the
   * caller) or a count of fresh ones derived from `base` (default: the op type).
   */
  node(
    op: string,
    inputs: readonly string[],
    attrs: Record<string, Attr> = {},
    options: { outputs?: readonly string[] | number; base?: string } = {},
  ): string[] {
    const base = options.base ?? op;
    const outs =
      typeof options.outputs === 'object'
        ? [...options.outputs]
        : Array.from({ length: options.outputs ?? 1 }, () => this.fresh(base));
    this.nodes.push({
      op_type: op,
      // Outputs are unique, so the first one names the node.
      name: outs[0] ?? this.fresh(base),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attributeProto(k, v)),
    });
    return outs;
  }

  /** The one output of a node (see `node`). */
  op(
    op: string,
    inputs: readonly string[],
    attrs: Record<string, Attr> = {},
    options: { output?: string; base?: string } = {},
  ): string {
    const outputs = options.output === undefined ? 1 : [options.output];
    return this.node(op, inputs, attrs, { outputs, base: options.base ?? op })[0] as string;
  }

  /** Adds a constant tensor under a fresh name derived from `base`; returns the name. */
  initializer(base: string, data: InitializerData, dims: readonly number[]): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length)
      throw new Error(`initializer "${base}": ${data.length} values for dims [${dims.join(', ')}]`);
    const name = this.fresh(base);
    this.initializers.push({
      name,
      dims: [...dims],
      data_type: dataType(data),
      raw_data: rawBytes(data),
    });
    return name;
  }

  /** An int64 constant (shapes, axes, repeats), 1-D unless `dims` says otherwise. */
  int64s(base: string, values: readonly (number | bigint)[], dims = [values.length]): string {
    return this.initializer(
      base,
      BigInt64Array.from(values, (v) => BigInt(v)),
      dims,
    );
  }

  /** A float32 scalar constant. */
  scalar(base: string, value: number): string {
    return this.initializer(base, Float32Array.of(value), []);
  }

  /** Declares a graph input (its name must be reserved already). */
  input(name: string, elemType: number, dims: readonly ValueDim[]): void {
    this.inputs.push(valueInfo(name, elemType, dims));
  }

  /** Declares a graph output (a value some node produces). */
  output(name: string, elemType: number, dims: readonly ValueDim[]): void {
    this.outputs.push(valueInfo(name, elemType, dims));
  }

  build(): GraphProto {
    return {
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}
