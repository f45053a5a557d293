import type { OptimizerObject } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { createOptimizer } from './optimizers.js';

// Each reference is Keras 3's update_step for one element, transcribed in plain JS (double).
type State = Record<string, number>;
type Ref = (w: number, g: number, s: State, lr: number, t: number) => number;

const INIT_W = [
  [0.5, -1.2, 2],
  [0.3, 0.7, -0.4, 1.1],
];
/** Gradients per step, per variable; zeros and sign changes on purpose. */
const GRADS = [
  [
    [0.2, -0.5, 0],
    [1.5, -0.1, 0.3, 0.05],
  ],
  [
    [-0.3, 0.4, 0.25],
    [0.2, 0, -0.6, 0.05],
  ],
  [
    [0.1, 0.1, -0.9],
    [-1, 0.3, 0.3, 0.5],
  ],
  [
    [0.05, -0.2, 0.4],
    [0.7, -0.8, 0, 0.2],
  ],
];
const LRS = [0.1, 0.05, 0.2, 0.08];

/** Runs the reference over every element for every step. */
function reference(ref: Ref, init: State = {}): number[][] {
  return INIT_W.map((ws, vi) =>
    ws.map((w0, ei) => {
      const s: State = { ...init };
      let w = w0;
      GRADS.forEach((step, k) => {
        w = ref(w, step[vi]?.[ei] ?? 0, s, LRS[k] ?? 0, k + 1);
      });
      return w;
    }),
  );
}

function variables(): tf.Variable[] {
  return INIT_W.map((w, i) => tf.variable(i === 0 ? tf.tensor1d(w) : tf.tensor2d(w, [2, 2])));
}

/** Applies every step with the optimizer under test; returns the final weights. */
function run(o: OptimizerObject): number[][] {
  const vars = variables();
  const opt = createOptimizer(o, vars);
  GRADS.forEach((step, k) => {
    const grads = step.map((g, i) => tf.tensor(g, vars[i]?.shape));
    opt.apply(grads, LRS[k] ?? 0);
    tf.dispose(grads);
  });
  expect(opt.iterations).toBe(GRADS.length);
  const out = vars.map((v) => [...v.dataSync()]);
  opt.dispose();
  tf.dispose(vars);
  return out;
}

function expectWeights(actual: number[][], expected: number[][]): void {
  actual.forEach((row, i) => {
    row.forEach((a, j) => {
      const e = expected[i]?.[j] ?? Number.NaN;
      expect(Math.abs(a - e)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e)));
    });
  });
}

const clip = { clipValue: undefined, clipNorm: undefined, globalClipNorm: undefined };

describe('optimizers follow Keras 3 update_step', () => {
  it('sgd without momentum: w -= lr g', () => {
    const o = { type: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false, ...clip } as const;
    expectWeights(
      run(o),
      reference((w, g, _s, lr) => w - g * lr),
    );
  });

  it('sgd with momentum: m = mu m - lr g; w += m', () => {
    const mu = 0.6;
    const o = { type: 'sgd', learningRate: 0.01, momentum: mu, nesterov: false, ...clip } as const;
    const ref: Ref = (w, g, s, lr) => {
      s.m = mu * (s.m ?? 0) - lr * g;
      return w + s.m;
    };
    expectWeights(run(o), reference(ref));
  });

  it('sgd nesterov: w += mu m - lr g with the new m', () => {
    const mu = 0.9;
    const o = { type: 'sgd', learningRate: 0.01, momentum: mu, nesterov: true, ...clip } as const;
    const ref: Ref = (w, g, s, lr) => {
      s.m = mu * (s.m ?? 0) - lr * g;
      return w + mu * s.m - lr * g;
    };
    expectWeights(run(o), reference(ref));
  });

  const adamRef =
    (b1: number, b2: number, eps: number, amsgrad: boolean, wd = 0): Ref =>
    (w0, g, s, lr, t) => {
      const w = w0 - w0 * wd * lr; // AdamW decays first
      const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
      s.m = (s.m ?? 0) + (g - (s.m ?? 0)) * (1 - b1);
      s.v = (s.v ?? 0) + (g * g - (s.v ?? 0)) * (1 - b2);
      s.vh = Math.max(s.vh ?? 0, s.v);
      return w - (s.m * alpha) / (Math.sqrt(amsgrad ? s.vh : s.v) + eps);
    };
  const adamOpts = { learningRate: 0.001, beta1: 0.8, beta2: 0.95, epsilon: 1e-3, ...clip };

  it('adam: bias correction folded into alpha', () => {
    const o = { type: 'adam', ...adamOpts, amsgrad: false } as const;
    expectWeights(run(o), reference(adamRef(0.8, 0.95, 1e-3, false)));
  });

  it('adam amsgrad: the running max of v', () => {
    const o = { type: 'adam', ...adamOpts, amsgrad: true } as const;
    expectWeights(run(o), reference(adamRef(0.8, 0.95, 1e-3, true)));
  });

  it('adamw: w -= w wd lr before the Adam step', () => {
    const o = { type: 'adamw', ...adamOpts, amsgrad: false, weightDecay: 0.3 } as const;
    expectWeights(run(o), reference(adamRef(0.8, 0.95, 1e-3, false, 0.3)));
  });

  const rmsRef =
    (rho: number, mu: number, eps: number, centered: boolean): Ref =>
    (w, g, s, lr) => {
      s.v = rho * (s.v ?? 0) + (1 - rho) * g * g;
      s.a = rho * (s.a ?? 0) + (1 - rho) * g;
      const denominator = centered ? s.v - s.a * s.a + eps : s.v + eps;
      const increment = (lr * g) / Math.sqrt(denominator);
      if (mu === 0) return w - increment;
      s.m = mu * (s.m ?? 0) + increment;
      return w - s.m;
    };

  it('rmsprop: plain', () => {
    const o = {
      type: 'rmsprop',
      learningRate: 0.001,
      rho: 0.8,
      momentum: 0,
      epsilon: 1e-2,
      centered: false,
      ...clip,
    } as const;
    expectWeights(run(o), reference(rmsRef(0.8, 0, 1e-2, false)));
  });

  it('rmsprop: centered with momentum, epsilon inside the square root', () => {
    const o = {
      type: 'rmsprop',
      learningRate: 0.001,
      rho: 0.8,
      momentum: 0.5,
      epsilon: 1e-2,
      centered: true,
      ...clip,
    } as const;
    expectWeights(run(o), reference(rmsRef(0.8, 0.5, 1e-2, true)));
  });

  it('adagrad: accumulator starts at initialAccumulatorValue', () => {
    const o = {
      type: 'adagrad',
      learningRate: 0.001,
      initialAccumulatorValue: 0.3,
      epsilon: 1e-3,
      ...clip,
    } as const;
    const ref: Ref = (w, g, s, lr) => {
      s.acc = (s.acc ?? 0) + g * g;
      return w - (lr * g) / Math.sqrt(s.acc + 1e-3);
    };
    expectWeights(run(o), reference(ref, { acc: 0.3 }));
  });

  it('adadelta: delta from the old delta accumulator and the new gradient accumulator', () => {
    const [rho, eps] = [0.7, 1e-2];
    const o = { type: 'adadelta', learningRate: 1, rho, epsilon: eps, ...clip } as const;
    const ref: Ref = (w, g, s, lr) => {
      s.ag = rho * (s.ag ?? 0) + (1 - rho) * g * g;
      const delta = -(Math.sqrt((s.ad ?? 0) + eps) * g) / Math.sqrt(s.ag + eps);
      s.ad = rho * (s.ad ?? 0) + (1 - rho) * delta * delta;
      return w + lr * delta;
    };
    expectWeights(run(o), reference(ref));
  });

  it('adamax: infinity norm, lr / (1 - beta1^t)', () => {
    const [b1, b2, eps] = [0.7, 0.9, 1e-3];
    const o = {
      type: 'adamax',
      learningRate: 0.001,
      beta1: b1,
      beta2: b2,
      epsilon: eps,
      ...clip,
    } as const;
    const ref: Ref = (w, g, s, lr, t) => {
      s.m = (s.m ?? 0) + (g - (s.m ?? 0)) * (1 - b1);
      s.u = Math.max(b2 * (s.u ?? 0), Math.abs(g));
      return w - (lr * s.m) / ((1 - b1 ** t) * (s.u + eps));
    };
    expectWeights(run(o), reference(ref));
  });
});

describe('optimizer mechanics', () => {
  const adam = { type: 'adam', ...{ learningRate: 0.001, beta1: 0.9, beta2: 0.999 } } as const;
  const full = { ...adam, epsilon: 1e-7, amsgrad: true, ...clip } as const;

  it('clips before the update (clipValue on sgd)', () => {
    const o = { type: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false, ...clip } as const;
    const expected = reference((w, g, _s, lr) => w - Math.min(0.25, Math.max(-0.25, g)) * lr);
    expectWeights(run({ ...o, clipValue: 0.25 }), expected);
  });

  it('skips a null gradient: weights and slots of that variable stay put', () => {
    const vars = variables();
    const opt = createOptimizer(full, vars);
    const g = tf.tensor1d([1, 2, 3]);
    opt.apply([g, null], 0.1);
    expect([...(vars[1]?.dataSync() ?? [])]).toEqual(INIT_W[1]?.map(Math.fround));
    const state = opt.state();
    expect([...(state['1.momentum']?.dataSync() ?? [])]).toEqual([0, 0, 0, 0]);
    expect(state['0.momentum']?.dataSync()[0]).toBeCloseTo(0.1, 6);
    expect(() => opt.apply([g], 0.1)).toThrow(/expected 2 gradients/);
    tf.dispose([g, ...Object.values(state), ...vars]);
    opt.dispose();
  });

  it('state round-trips: a resumed optimizer continues bit for bit', () => {
    const grads = (k: number) =>
      (GRADS[k] ?? []).map((g, i) => tf.tensor(g, INIT_W[i]?.length === 4 ? [2, 2] : [3]));
    const a = variables();
    const optA = createOptimizer(full, a);
    for (const k of [0, 1]) optA.apply(grads(k), LRS[k] ?? 0);
    const saved = optA.state();
    expect(Object.keys(saved).sort()).toEqual([
      '0.momentum',
      '0.velocity',
      '0.velocityHat',
      '1.momentum',
      '1.velocity',
      '1.velocityHat',
      'iterations',
    ]);
    expect(saved.iterations?.dataSync()[0]).toBe(2);
    // A fresh optimizer on copies of the weights, loaded from the saved state.
    const b = a.map((v) => tf.variable(tf.add(v, 0)));
    const optB = createOptimizer(full, b);
    optB.loadState(saved);
    expect(optB.iterations).toBe(2);
    for (const k of [2, 3]) {
      optA.apply(grads(k), LRS[k] ?? 0);
      optB.apply(grads(k), LRS[k] ?? 0);
    }
    a.forEach((v, i) => {
      expect([...(b[i]?.dataSync() ?? [])]).toEqual([...v.dataSync()]);
    });
    tf.dispose([...a, ...b, ...Object.values(saved)]);
    optA.dispose();
    optB.dispose();
  });

  it('rejects a state that does not fit', () => {
    const vars = variables();
    const opt = createOptimizer(full, vars);
    const sgd = createOptimizer('sgd', vars);
    expect(() => opt.loadState(sgd.state())).toThrow(/0\.momentum: missing/);
    const wrong = opt.state();
    wrong['0.velocity'] = tf.zeros([4]);
    expect(() => opt.loadState(wrong)).toThrow(/0\.velocity: expected shape \[3\], got \[4\]/);
    opt.dispose();
    sgd.dispose();
    tf.dispose(vars);
  });
});
