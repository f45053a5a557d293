// The closed-form batch-norm gradient against tfjs differentiating the same formula op by op
// (on the cpu backend), and wasm against cpu.
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { randomValues, relativeError, runOn } from '../test-utils/cross-backend.js';
import { tf } from '../tf.js';
import { batchNormTraining } from './batch-norm-train.js';

const TOLERANCE = 1e-4;

interface Case {
  shape: number[];
  axis: number;
  gamma: boolean;
  beta: boolean;
}

const CASES: Case[] = [
  { shape: [4, 5, 6, 3], axis: 3, gamma: true, beta: true },
  { shape: [2, 7, 5, 8], axis: 3, gamma: true, beta: false },
  { shape: [3, 4, 6, 2], axis: 1, gamma: false, beta: true },
  { shape: [6, 5], axis: 1, gamma: false, beta: false },
  { shape: [1, 9, 4], axis: 2, gamma: true, beta: true },
  { shape: [16, 8, 8, 16], axis: 3, gamma: true, beta: true },
];

const EPSILON = 1e-3;

/** Keras's formula op by op, differentiated by tfjs. */
function plain(x: tf.Tensor, axes: number[], gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, axes, true);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), axes, true);
  let inv = tf.rsqrt(tf.add(variance, EPSILON));
  if (gamma) inv = tf.mul(inv, gamma);
  let res = tf.neg(tf.mul(mean, inv));
  if (beta) res = tf.add(res, beta);
  return tf.add(tf.mul(x, inv), res);
}

/** Output, then gradients of sum(y * w) for x, gamma and beta (those present). */
function outputs(c: Case, closedForm: boolean): tf.Tensor[] {
  const axes = c.shape.map((_, i) => i).filter((i) => i !== c.axis);
  const statShape = c.shape.map((d, i) => (i === c.axis ? d : 1));
  const channels = c.shape[c.axis] as number;
  const x = tf.tensor(
    randomValues(tf.util.sizeFromShape(c.shape), 1).map((v) => 3 * v + 1),
    c.shape,
  );
  const w = tf.tensor(randomValues(x.size, 2), c.shape);
  const params = [
    ...(c.gamma
      ? [
          tf.tensor(
            randomValues(channels, 3).map((v) => v + 1.5),
            statShape,
          ),
        ]
      : []),
    ...(c.beta ? [tf.tensor(randomValues(channels, 4), statShape)] : []),
  ];
  const split = (ps: tf.Tensor[]) => ({
    gamma: c.gamma ? ps[0] : undefined,
    beta: c.beta ? ps[c.gamma ? 1 : 0] : undefined,
  });
  const f = (xi: tf.Tensor, ...ps: tf.Tensor[]) => {
    const { gamma, beta } = split(ps);
    return closedForm
      ? batchNormTraining(xi, axes, EPSILON, gamma, beta)
      : plain(xi, axes, gamma, beta);
  };
  const loss = (xi: tf.Tensor, ...ps: tf.Tensor[]) => tf.sum(tf.mul(f(xi, ...ps), w));
  return [f(x, ...params), ...tf.grads(loss)([x, ...params])];
}

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it('gives the output and the gradients of the op-by-op formula (cpu)', async () => {
    for (const c of CASES) {
      const ref = await runOn('cpu', () => outputs(c, false));
      const got = await runOn('cpu', () => outputs(c, true));
      expect(got.length).toBe(ref.length);
      for (const [i, g] of got.entries())
        expect(relativeError(g, ref[i] as never), `${JSON.stringify(c)} #${i}`).toBeLessThanOrEqual(
          TOLERANCE,
        );
    }
  });

  it('gives the same on wasm as on cpu', async () => {
    for (const c of CASES) {
      const cpu = await runOn('cpu', () => outputs(c, true));
      const wasm = await runOn('wasm', () => outputs(c, true));
      for (const [i, g] of wasm.entries())
        expect(relativeError(g, cpu[i] as never), `${JSON.stringify(c)} #${i}`).toBeLessThanOrEqual(
          TOLERANCE,
        );
    }
  });

  it('hands the batch statistics to onStatistics while they live', async () => {
    await tf.setBackend('cpu');
    const x = tf.tensor([1, 2, 3, 5, 4, 9], [3, 2]);
    let stats: number[][] = [];
    const before = tf.memory().numTensors;
    const y = batchNormTraining(x, [0], 0, undefined, undefined, (m, v) => {
      stats = [Array.from(m.dataSync()), Array.from(v.dataSync())];
    });
    expect(stats[0]).toEqual([8 / 3, 16 / 3].map((v) => Math.fround(v)));
    expect(stats[1]?.map((v) => Number(v.toFixed(4)))).toEqual([1.5556, 8.2222]);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, y]);
  });
});
