// Ops that onnxruntime-web 1.30 runs on the CPU inside a WebGPU session, found by the browser
// parity test (it fails on a fallback not listed here). Each with why.

/** The attention masks' index arithmetic: int64 scalars and vectors derived from a shape. */
const SHAPE_MATH =
  'int64 index arithmetic of the attention masks (positions from the sequence length); onnxruntime keeps shape computations on the CPU on purpose, a few values per run';

export const WEBGPU_CPU_OPS: Readonly<Record<string, string>> = {
  LSTM: 'onnxruntime-web has no WebGPU LSTM kernel (ONNX LSTM stays one op, DESIGN.md)',
  Range: SHAPE_MATH,
  Unsqueeze: SHAPE_MATH,
  GreaterOrEqual: SHAPE_MATH,
  // Only the masks' int64 Gather: a float Gather (embeddings) runs on WebGPU, as gpt-nano shows.
  Gather: SHAPE_MATH,
};
