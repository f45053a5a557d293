import type { ParityCase } from '../parity.js';

/**
 * Parity cases of the generative family. sampling has two inputs and draws its own noise, so no
 * tfjs parity: `emit/generative.test.ts` checks it on onnxruntime.
 */
export const GENERATIVE_CASES: ParityCase[] = [
  {
    name: 'gaussianNoise',
    layer: { id: 'y', type: 'gaussianNoise', stddev: 0.5, seed: 3 },
    input: { shape: [4, 3], run: [2, 4, 3] },
  },
];
