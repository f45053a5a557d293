/** This package's version, written as the producer version (a test keeps it equal to package.json). */
export const NETSPEC_ONNX_VERSION = '0.1.0';
