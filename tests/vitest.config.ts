import { defineConfig } from 'vitest/config';

// End-to-end tests spawn the built CLI; on a 2-core CI machine they share it with the other
// packages' suites, so a spawn can take seconds.
export default defineConfig({ test: { testTimeout: 30_000 } });
