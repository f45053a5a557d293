import type { ParityCase } from '../parity.js';

// Parity cases of the block family (blocks are expanded by the resolver: nothing of their own).
const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;

/** Parity cases of timeDistributed over kinds of several families. */
export const BLOCK_CASES: ParityCase[] = [
  {
    name: 'timeDistributed dense',
    layer: {
      id: 'y',
      type: 'timeDistributed',
      layer: { type: 'dense', units: 3, activation: 'relu', biasInitializer: uniform },
    },
    input: { shape: [4, 5], run: [2, 4, 5] },
  },
  {
    name: 'timeDistributed dense free length rank 4',
    layer: {
      id: 'y',
      type: 'timeDistributed',
      layer: { type: 'dense', units: 2, biasInitializer: uniform },
    },
    input: { shape: [null, 3, 5], run: [2, 6, 3, 5] },
  },
  {
    name: 'timeDistributed flatten',
    layer: { id: 'y', type: 'timeDistributed', layer: { type: 'flatten' } },
    input: { shape: [3, 2, 4], run: [2, 3, 2, 4] },
  },
  {
    name: 'timeDistributed layerNorm',
    layer: {
      id: 'y',
      type: 'timeDistributed',
      layer: { type: 'layerNorm', axis: [1, 2], betaInitializer: uniform },
    },
    input: { shape: [3, 2, 4], run: [2, 3, 2, 4] },
  },
  {
    name: 'timeDistributed groupNorm',
    layer: {
      id: 'y',
      type: 'timeDistributed',
      layer: { type: 'groupNorm', groups: 2, betaInitializer: uniform },
    },
    input: { shape: [3, 4], run: [2, 3, 4] },
  },
];
