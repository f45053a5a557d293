export { ExportError, OnnxFileError, SessionError } from './errors.js';
export { type ExportOptions, exportOnnx } from './export.js';
export { decodeModel, encodeModel } from './proto/codec.js';
export type * from './proto/types.js';
export { AttributeType, DataType } from './proto/types.js';
export { readOnnx } from './session/check.js';
export {
  createSession,
  ONNX_ENGINES,
  type OnnxEngine,
  type SessionOptions,
} from './session/create.js';
export type { ModelRunner, RunnerTensor } from './session/runner.js';
