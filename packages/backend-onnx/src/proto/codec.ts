import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnx-proto.js';
import type { ModelProto, TensorProto } from './types.js';

let root: protobuf.Root | undefined;

/** A message type, parsed from the embedded schema on first use (nothing runs on import). */
function messageType(name: 'ModelProto' | 'TensorProto'): protobuf.Type {
  root ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root;
  return root.lookupType(`onnx.${name}`);
}
const modelProto = () => messageType('ModelProto');

/** The bytes of a ModelProto. */
export function encodeModel(model: ModelProto): Uint8Array {
  const type = modelProto();
  return type.encode(type.fromObject(model)).finish();
}

/**
 * A ModelProto from bytes; throws protobufjs's error on malformed input (callers that take
 * untrusted bytes wrap it, see `readOnnx`). int64 fields come back as numbers.
 */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const type = modelProto();
  return type.toObject(type.decode(bytes), {
    longs: Number,
    enums: Number,
    arrays: false,
  }) as ModelProto;
}

/** The bytes of a TensorProto (a `.pb` file of the ONNX model zoo's test data sets). */
export function encodeTensor(tensor: TensorProto): Uint8Array {
  const type = messageType('TensorProto');
  return type.encode(type.fromObject(tensor)).finish();
}

/** A TensorProto from bytes; throws protobufjs's error on malformed input. */
export function decodeTensor(bytes: Uint8Array): TensorProto {
  const type = messageType('TensorProto');
  return type.toObject(type.decode(bytes), { longs: Number, enums: Number }) as TensorProto;
}
