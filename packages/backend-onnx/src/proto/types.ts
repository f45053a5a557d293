// The ONNX messages netspec uses, as plain objects (field names as in onnx.proto). int64 fields
// are numbers: every value netspec writes or checks (dims, opsets, attributes) is a safe integer.

/** TensorProto.DataType values netspec writes. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
} as const;

/** AttributeProto.AttributeType. */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

export interface StringStringEntryProto {
  key?: string;
  value?: string;
}

export interface TensorProto {
  dims?: number[];
  data_type?: number;
  name?: string;
  doc_string?: string;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
  external_data?: StringStringEntryProto[];
  /** TensorProto.DataLocation: 0 default, 1 external. */
  data_location?: number;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

export interface NodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute?: AttributeProto[];
  doc_string?: string;
}

/** A dimension: a size, a symbolic name, or neither (unknown). */
export interface Dimension {
  dim_value?: number;
  dim_param?: string;
}

export interface TypeProto {
  tensor_type?: { elem_type?: number; shape?: { dim?: Dimension[] } };
}

export interface ValueInfoProto {
  name?: string;
  type?: TypeProto;
  doc_string?: string;
}

export interface GraphProto {
  node?: NodeProto[];
  name?: string;
  initializer?: TensorProto[];
  doc_string?: string;
  input?: ValueInfoProto[];
  output?: ValueInfoProto[];
  value_info?: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: number;
}

export interface ModelProto {
  ir_version?: number;
  opset_import?: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props?: StringStringEntryProto[];
}
