import { defineConfig } from 'vitest/config';

// Parity tests build tfjs models and start onnxruntime sessions: seconds, not milliseconds.
export default defineConfig({ test: { testTimeout: 60_000 } });
