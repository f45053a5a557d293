import { defineConfig } from 'vitest/config';

// The budget tests resolve up to 100,000 layers; on a 2-core CI machine shared with the other
// packages' suites that can take several seconds.
export default defineConfig({ test: { testTimeout: 30_000 } });
