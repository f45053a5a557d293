// Ops that onnxruntime-web 1.30 runs on the CPU inside a WebGPU session, found by the browser
// parity test (it fails on a fallback not listed here). Each with why.
export const WEBGPU_CPU_OPS: Readonly<Record<string, string>> = {
  LSTM: 'onnxruntime-web has no WebGPU LSTM kernel (ONNX LSTM stays one op, DESIGN.md)',
};
