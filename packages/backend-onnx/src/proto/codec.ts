import protobuf from 'protobufjs';
import { ONNX_PROTO } from './onnx-proto.js';
import type { ModelProto } from './types.js';

let modelType: protobuf.Type | undefined;

/** The ModelProto type, parsed from the embedded schema on first use (nothing runs on import). */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.parse(ONNX_PROTO, { keepCase: true }).root.lookupType('onnx.ModelProto');
  return modelType;
}

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
