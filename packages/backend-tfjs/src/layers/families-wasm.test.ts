// The normalization, recurrent, generative and block layers on wasm against cpu, forward and
// backward in training mode: every op they use must exist, and agree, on both engines.

// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { randomValues, wasmVsCpu } from '../test-utils/cross-backend.js';
import { layerModel } from '../test-utils/layer.js';
import { tf } from '../tf.js';

const CASES: [Record<string, unknown>, number[]][] = [
  [
    {
      type: 'lstm',
      units: 4,
      returnSequences: true,
      returnState: true,
      dropout: 0.2,
      recurrentDropout: 0.3,
    },
    [5, 3],
  ],
  [
    { type: 'gru', units: 4, returnSequences: true, resetAfter: false, recurrentDropout: 0.3 },
    [5, 3],
  ],
  [{ type: 'gru', units: 4, goBackwards: true }, [5, 3]],
  [{ type: 'simpleRnn', units: 4, returnSequences: true, dropout: 0.5 }, [5, 3]],
  [
    {
      type: 'bidirectional',
      layer: { type: 'lstm', units: 3, returnSequences: true },
      mergeMode: 'ave',
    },
    [5, 3],
  ],
  [{ type: 'batchNorm' }, [4, 3]],
  [{ type: 'layerNorm', axis: [1, 2] }, [4, 3]],
  [{ type: 'groupNorm', groups: 3, axis: 2 }, [4, 6]],
  [{ type: 'rmsNorm' }, [4, 3]],
  [{ type: 'gaussianNoise', stddev: 0.3 }, [4, 3]],
  [{ type: 'timeDistributed', layer: { type: 'lstm', units: 2 } }, [4, 5, 3]],
];

describe('layers on wasm', () => {
  beforeAll(async () => {
    await useEngine('wasm');
    await tf.setBackend('cpu');
  });

  for (const [layer, shape] of CASES) {
    it(`${layer.type} ${JSON.stringify(layer)}: outputs and input gradient match cpu`, async () => {
      const m = layerModel(layer, [{ shape }]);
      const full = [2, ...shape];
      const x = randomValues(
        full.reduce((a, b) => a * b, 1),
        3,
      );
      const outputs = (t: tf.Tensor) =>
        Object.values(m.forward({ x0: t }, { training: true, seed: 5 }).outputs);
      const loss = (t: tf.Tensor) => tf.addN(outputs(t).map((o) => tf.sum(tf.square(o))));
      const errors = await wasmVsCpu(() => {
        const t = tf.tensor(x, full);
        return [...outputs(t), tf.grad(loss)(t)];
      });
      for (const e of errors) expect(e).toBeLessThan(1e-4);
    });
  }
});
