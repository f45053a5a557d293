export { cachedScorer } from './cached-scorer.js';
export { captureLogs } from './logs.js';
export {
  type OnnxSummary,
  OnnxSummaryError,
  summarizeOnnx,
  type ValueSummary,
} from './onnx-summary.js';
export {
  cpuNodes,
  type PlacedNode,
  type Placement,
  parsePlacement,
  WEBGPU_EXECUTION_PROVIDERS,
} from './placement.js';
export {
  createWebSession,
  WEB_PROVIDERS,
  type WebProvider,
  type WebRunner,
  WebSessionError,
  type WebSessionOptions,
  webgpuProblem,
} from './session.js';
