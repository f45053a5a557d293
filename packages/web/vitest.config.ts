import { defineConfig } from 'vitest/config';

// The browser suites start Chromium and a vite server; WebGPU on SwiftShader is slow to compile
// shaders, so one model can take several seconds.
export default defineConfig({
  // One file at a time: each browser suite starts its own Chromium, and SwiftShader is CPU-bound.
  test: { testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false },
});
