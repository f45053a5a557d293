import { defineConfig } from 'vitest/config';

// Some unit tests load backend-tfjs or onnxruntime on first use (lazy imports, as the CLI does);
// on a 2-core CI machine busy with the other packages' suites that alone can take seconds.
export default defineConfig({ test: { testTimeout: 30_000 } });
