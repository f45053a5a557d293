/** A spec, weights or option the exporter cannot turn into ONNX; the message names which. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/** Bytes that are not a usable ONNX model: empty, truncated, another format, or inconsistent. */
export class OnnxFileError extends Error {
  override readonly name = 'OnnxFileError';
}

/** An inference engine that was asked for and cannot be used (not installed, failed to load). */
export class SessionError extends Error {
  override readonly name = 'SessionError';
}
