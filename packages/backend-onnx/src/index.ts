export {
  INFERENCE_ENGINES,
  type InferenceBenchOptions,
  type InferenceBenchResult,
  type InferenceEngine,
  runInferenceBench,
} from './bench/inference.js';
export { checkModels, onnxPython } from './checker.js';
export { ExportError, OnnxFileError, SessionError } from './errors.js';
export type { ExternalDataOptions, OnnxWithExternalData } from './export/external-data.js';
export { type ExportOptions, exportOnnx, exportOnnxWithExternalData } from './export.js';
export { type CacheExportOptions, exportOnnxWithCache } from './kv-cache/export.js';
export { type OrtScorerOptions, ortScorer } from './kv-cache/scorer.js';
export {
  type CompareOptions,
  CPU_TOLERANCE,
  compareRunners,
  formatParityTable,
  GPU_TOLERANCE,
  type OutputParity,
  type ParityReport,
  type TensorError,
  tensorError,
  withinTolerance,
} from './parity/compare.js';
export {
  type DivergenceOptions,
  describeDivergence,
  firstDivergence,
  type LayerDivergence,
  type LayerOutputs,
} from './parity/divergence.js';
export { decodeModel, encodeModel } from './proto/codec.js';
export type * from './proto/types.js';
export { AttributeType, DataType } from './proto/types.js';
export { readOnnx } from './session/check.js';
export {
  createSession,
  ONNX_ENGINES,
  ONNX_PROVIDERS,
  type OnnxEngine,
  type OnnxProvider,
  type SessionOptions,
} from './session/create.js';
export type { ModelRunner, RunnerTensor } from './session/runner.js';
export { checkSupport, KNOWN_DOMAINS, MAX_AI_ONNX_OPSET } from './session/support.js';
export {
  readTestDataSet,
  type TestDataSet,
  tensorFromProto,
  tensorToProto,
  writeTestDataSet,
} from './test-data.js';
