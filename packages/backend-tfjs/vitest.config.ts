import { defineConfig } from 'vitest/config';

// Training tests run real tfjs steps on the cpu backend: seconds, not milliseconds.
export default defineConfig({ test: { testTimeout: 60_000 } });
