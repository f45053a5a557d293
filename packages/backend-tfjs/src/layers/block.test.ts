import { describe, expect, it } from 'vitest';
import type { NetspecModel } from '../model/model.js';
import { layerModel, run, weightOf } from '../test-utils/layer.js';
import {
  maxDiff,
  randomizeWeights,
  randomSeq,
  refRnn,
  refWeights,
  type Seq,
} from '../test-utils/recurrent-reference.js';
import { tf } from '../tf.js';
import { LAYER_IMPLS } from './registry.js';

// timeDistributed is checked against the wrapped layer's plain-JS reference run on every step
// separately (./recurrent/reference.ts), and against statistics computed by hand.

/** The layer's inferred output shapes with batch `b` in front and free dims set to `t`. */
const inferredShapes = (m: NetspecModel, b: number, t: number) =>
  (m.resolved.nodes.find((n) => n.path === 'layer')?.outputs ?? []).map((o) => [
    b,
    ...o.shape.map((d) => d ?? t),
  ]);

describe('block', () => {
  it('is never applied: the resolver expands it', () => {
    const ctx = {} as Parameters<typeof LAYER_IMPLS.block.apply>[2];
    expect(() => LAYER_IMPLS.block.apply({ block: 'b', repeat: 1 } as never, [], ctx)).toThrow(
      /internal error.*expands blocks/,
    );
  });
});

describe('timeDistributed', () => {
  const U = 3;
  const F = 2;

  it('runs a wrapped lstm on every step with shared weights, over a free length', () => {
    const inner = { type: 'lstm', units: U, returnState: true };
    const m = layerModel({ type: 'timeDistributed', layer: inner }, [{ shape: [null, 4, F] }]);
    expect([...m.weights.keys()]).toEqual(['layer.kernel', 'layer.recurrent_kernel', 'layer.bias']);
    randomizeWeights(m, 31);
    for (const t of [3, 1]) {
      const x = randomSeq(32 + t, 2 * t, 4, F);
      // (B, T, 4, F): the batch's steps are consecutive samples of x
      const input = tf.tensor(x.flat(3) as number[], [2, t, 4, F]);
      const outs = run(m, [input]);
      expect(outs.map((o) => o.shape)).toEqual(inferredShapes(m, 2, t));
      // each (b, t) on its own: the wrapped layer's [last h, h, c]
      const ref = refRnn(x, refWeights(m), { kind: 'lstm', units: U });
      const last = ref.sequence.map((hs) => hs[hs.length - 1] as number[]);
      [last, ...ref.states].forEach((want, k) => {
        expect(maxDiff(outs[k] as tf.Tensor, want)).toBeLessThan(1e-5);
      });
    }
  });

  it('takes batchNorm statistics over batch and time together, and updates them', () => {
    const m = layerModel({ type: 'timeDistributed', layer: { type: 'batchNorm', momentum: 0.5 } }, [
      { shape: [null, U] },
    ]);
    // the wrapped kind's initializers: moving_variance starts at ones, not glorotUniform
    expect([...weightOf(m, 'layer.moving_variance')]).toEqual([1, 1, 1]);
    expect([...weightOf(m, 'layer.moving_mean')]).toEqual([0, 0, 0]);
    const x: Seq = randomSeq(40, 2, 5, U, 3);
    const [y] = run(m, [tf.tensor3d(x)], true) as [tf.Tensor];
    // channel c over all 2·5 (sample, step) pairs; gamma 1, beta 0, eps 1e-3
    const channel = (c: number) => {
      const values = x.flatMap((s) => s.map((r) => r[c] as number));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { mean, variance: values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length };
    };
    const st = [0, 1, 2].map(channel);
    const want = x.map((s) =>
      s.map((r) =>
        r.map((v, c) => {
          const { mean, variance } = st[c] as { mean: number; variance: number };
          return (v - mean) / Math.sqrt(variance + 1e-3);
        }),
      ),
    );
    st.forEach(({ mean, variance }, c) => {
      // moving = 0.5 · moving + 0.5 · batch
      expect(weightOf(m, 'layer.moving_mean')[c]).toBeCloseTo(0.5 * mean, 5);
      expect(weightOf(m, 'layer.moving_variance')[c]).toBeCloseTo(0.5 + 0.5 * variance, 5);
    });
    expect(maxDiff(y, want)).toBeLessThan(1e-5);
  });

  it('delegates weight policies to the wrapped kind, through a bidirectional too', () => {
    const rms = layerModel({ type: 'timeDistributed', layer: { type: 'rmsNorm' } }, [
      { shape: [3, U] },
    ]);
    expect([...weightOf(rms, 'layer.scale')]).toEqual([1, 1, 1]);
    const bi = layerModel(
      {
        type: 'timeDistributed',
        layer: { type: 'bidirectional', layer: { type: 'gru', units: U, biasInitializer: 'ones' } },
      },
      [{ shape: [null, 4, F] }],
    );
    expect(bi.weights.get('layer.backward.recurrent_kernel')?.policy.initializer).toBe(
      'orthogonal',
    );
    expect([...weightOf(bi, 'layer.forward.bias')].every((v) => v === 1)).toBe(true);
    const [y] = run(bi, [tf.ones([2, 3, 4, F])]) as [tf.Tensor];
    expect(y.shape).toEqual(inferredShapes(bi, 2, 3)[0]);
  });
});
