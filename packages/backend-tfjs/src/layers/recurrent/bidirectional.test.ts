import { describe, expect, it } from 'vitest';
import { layerModel, run } from '../../test-utils/layer.js';
import {
  inferredShapes,
  maxDiff,
  type RefOptions,
  randomizeWeights,
  randomSeq,
  refRnn,
  refWeights,
  type Seq,
} from '../../test-utils/recurrent-reference.js';
import { tf } from '../../tf.js';

// Expected values: two runs of the plain-JS reference (./reference.ts), the backward one over the
// reversed sequence and its sequence output reversed back, merged by hand below.

const F = 3;
const U = 2;

type Inner = Record<string, unknown> & { type: RefOptions['kind'] };
type Mode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Elementwise merge of two equally nested arrays; concat joins the innermost rows. */
function merge(a: unknown, b: unknown, mode: Exclude<Mode, null>): unknown {
  if (Array.isArray(a) && typeof a[0] === 'number' && mode === 'concat')
    return [...a, ...(b as number[])];
  if (Array.isArray(a)) return a.map((v, i) => merge(v, (b as unknown[])[i], mode));
  const [x, y] = [a as number, b as number];
  return mode === 'sum' ? x + y : mode === 'mul' ? x * y : mode === 'ave' ? (x + y) / 2 : NaN;
}

/** Keras's Bidirectional by the reference: [outputs..., forward states, backward states]. */
function expected(x: Seq, layer: Inner, mode: Mode, m: ReturnType<typeof layerModel>): unknown[][] {
  const o: RefOptions = { kind: layer.type, units: U, resetAfter: layer.resetAfter as boolean };
  const fw = refRnn(x, refWeights(m, 'forward.'), o);
  const bw = refRnn(x, refWeights(m, 'backward.'), { ...o, goBackwards: true });
  const last = (s: Seq) => s.map((hs) => hs[hs.length - 1] as number[]);
  const y = layer.returnSequences ? fw.sequence : last(fw.sequence);
  // The backward sequence is re-reversed into input order; its last output is not.
  const yRev = layer.returnSequences
    ? bw.sequence.map((hs) => [...hs].reverse())
    : last(bw.sequence);
  const outputs = mode === null ? [y, yRev] : [merge(y, yRev, mode) as unknown[]];
  return [...outputs, ...(layer.returnState ? [...fw.states, ...bw.states] : [])];
}

function check(layer: Inner, mode: Mode, steps: number | null = 4, t = 4): void {
  const m = layerModel({ type: 'bidirectional', layer: { units: U, ...layer }, mergeMode: mode }, [
    { shape: [steps, F] },
  ]);
  randomizeWeights(m, 21);
  const x = randomSeq(22, 2, t, F);
  const outs = run(m, [tf.tensor3d(x)]);
  expect(outs.map((o) => o.shape)).toEqual(inferredShapes(m, 2, t));
  const want = expected(x, layer, mode, m);
  expect(outs).toHaveLength(want.length);
  want.forEach((w, k) => {
    expect(maxDiff(outs[k] as tf.Tensor, w)).toBeLessThan(1e-5);
  });
}

describe('bidirectional', () => {
  it('concatenates the forward and backward last outputs by default', () => {
    check({ type: 'lstm' }, 'concat');
  });
  for (const mode of ['concat', 'sum', 'mul', 'ave'] as const) {
    it(`merges whole sequences by ${mode}, the backward one back in input order`, () => {
      check({ type: 'gru', returnSequences: true }, mode);
    });
  }
  it('returns both outputs unmerged with mergeMode null, then forward and backward states', () => {
    check({ type: 'lstm', returnSequences: true, returnState: true }, null, null, 5);
    check({ type: 'simpleRnn', returnState: true }, null);
  });
  it('passes the states through after a merged output, over a free length', () => {
    check({ type: 'gru', resetAfter: false, returnState: true }, 'sum', null, 3);
  });
  it('names the weights forward.* and backward.* with the wrapped kind policies', () => {
    const m = layerModel(
      { type: 'bidirectional', layer: { type: 'lstm', units: U, recurrentInitializer: 'zeros' } },
      [{ shape: [4, F] }],
    );
    const names = [...m.weights.keys()];
    expect(names).toEqual([
      'layer.forward.kernel',
      'layer.forward.recurrent_kernel',
      'layer.forward.bias',
      'layer.backward.kernel',
      'layer.backward.recurrent_kernel',
      'layer.backward.bias',
    ]);
    expect(m.weights.get('layer.backward.recurrent_kernel')?.policy.initializer).toBe('zeros');
    expect(m.weights.get('layer.forward.kernel')?.policy.initializer).toBe('glorotUniform');
  });
});
