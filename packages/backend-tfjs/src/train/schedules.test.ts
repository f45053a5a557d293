import type { Schedule } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { learningRateAt, ReduceOnPlateau } from './schedules.js';

// References are the Keras 3 formulas in double precision.
function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6 * Math.abs(expected) + 1e-12);
}

const STEPS = [0, 1, 7, 10, 25, 99, 100, 101, 1000];

describe('learningRateAt', () => {
  it('a plain number is constant', () => {
    expect(learningRateAt(0.01, 12345)).toBe(0.01);
  });

  it('exponentialDecay: lr0 * rate^(step / decaySteps), floored when staircase', () => {
    const s = {
      type: 'exponentialDecay',
      initialLearningRate: 0.1,
      decaySteps: 10,
      decayRate: 0.5,
      staircase: false,
    } as const;
    for (const step of STEPS) {
      expectClose(learningRateAt(s, step), 0.1 * 0.5 ** (step / 10));
      expectClose(
        learningRateAt({ ...s, staircase: true }, step),
        0.1 * 0.5 ** Math.floor(step / 10),
      );
    }
  });

  it('inverseTimeDecay: lr0 / (1 + rate * step / decaySteps)', () => {
    const s = {
      type: 'inverseTimeDecay',
      initialLearningRate: 0.2,
      decaySteps: 7,
      decayRate: 0.3,
      staircase: false,
    } as const;
    for (const step of STEPS) {
      expectClose(learningRateAt(s, step), 0.2 / (1 + (0.3 * step) / 7));
      expectClose(
        learningRateAt({ ...s, staircase: true }, step),
        0.2 / (1 + 0.3 * Math.floor(step / 7)),
      );
    }
  });

  it('piecewiseConstantDecay: boundaries belong to the interval they end', () => {
    const s: Schedule = {
      type: 'piecewiseConstantDecay',
      boundaries: [10, 100],
      values: [1, 0.5, 0.1],
    };
    const expected: [number, number][] = [
      [0, 1],
      [10, 1],
      [11, 0.5],
      [100, 0.5],
      [101, 0.1],
      [5000, 0.1],
    ];
    for (const [step, lr] of expected) expectClose(learningRateAt(s, step), lr);
  });

  const cosine = (step: number, steps: number, from: number, alpha: number) =>
    from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, steps)) / steps)) + alpha);

  it('cosineDecay without warmup: from lr0 to lr0 * alpha over decaySteps, then flat', () => {
    const s = {
      type: 'cosineDecay',
      initialLearningRate: 0.1,
      decaySteps: 100,
      alpha: 0.1,
      warmupSteps: 0,
    } as const satisfies Schedule;
    for (const step of STEPS) expectClose(learningRateAt(s, step), cosine(step, 100, 0.1, 0.1));
  });

  it('cosineDecay with warmup: linear from lr0 to warmupTarget, then the cosine from the target', () => {
    const s = {
      type: 'cosineDecay',
      initialLearningRate: 0.01,
      decaySteps: 100,
      alpha: 0.2,
      warmupTarget: 0.5,
      warmupSteps: 10,
    } as const satisfies Schedule;
    const expected = (step: number) =>
      step < 10
        ? (0.5 - 0.01) * (step / 10) + 0.01
        : cosine(Math.min(step, 110) - 10, 100, 0.5, 0.2);
    for (const step of [...STEPS, 3, 9, 109, 110, 111])
      expectClose(learningRateAt(s, step), expected(step));
  });

  it('reduceOnPlateau: its initial rate', () => {
    const s = {
      type: 'reduceOnPlateau',
      initialLearningRate: 0.3,
      monitor: 'valLoss',
      factor: 0.1,
      patience: 10,
      minDelta: 1e-4,
      cooldown: 0,
      minLearningRate: 0,
      mode: 'auto',
    } as const;
    expect(learningRateAt(s, 50)).toBe(0.3);
  });
});

describe('ReduceOnPlateau (Keras ReduceLROnPlateau)', () => {
  const base = {
    type: 'reduceOnPlateau',
    initialLearningRate: 0.1,
    monitor: 'valLoss',
    factor: 0.5,
    patience: 2,
    minDelta: 0.01,
    cooldown: 1,
    minLearningRate: 0.02,
    mode: 'auto',
  } as const;
  const f32 = Math.fround;

  it('min mode: patience, minDelta, cooldown and the floor, epoch by epoch', () => {
    const p = new ReduceOnPlateau({ ...base, cooldown: 2 });
    // valLoss -> lr after the epoch, as Keras's on_epoch_end computes it. Keras decrements the
    // cooldown before testing it, so cooldown c leaves c - 1 epochs uncounted.
    const epochs: [number, number][] = [
      [1.0, 0.1], // best = 1.0
      [0.995, 0.1], // not below 1.0 - 0.01: wait 1
      [0.98, 0.1], // 0.98 < 0.99: best = 0.98, wait 0
      [0.98, 0.1], // wait 1
      [0.975, 0.05], // wait 2 >= patience: lr * 0.5, cooldown 2, wait 0
      [0.975, 0.05], // cooldown 2 -> 1: still cooling, not counted
      [0.975, 0.05], // cooldown 1 -> 0: counted, wait 1
      [0.975, 0.025], // wait 2: lr 0.025, cooldown 2
      [0.975, 0.025], // cooling
      [0.975, 0.025], // wait 1
      [0.975, 0.02], // wait 2: max(0.0125, minLearningRate 0.02)
      [0.975, 0.02], // cooling
      [0.975, 0.02], // wait 1
      [0.975, 0.02], // wait 2, but the rate is at the floor: nothing
      [0.5, 0.02], // improvement: best 0.5
    ];
    for (const [valLoss, lr] of epochs) expect(p.update({ valLoss, loss: 0 })).toBe(f32(lr));
    expect(p.state).toEqual({ learningRate: f32(0.02), best: 0.5, wait: 0, cooldownCounter: 0 });
  });

  it('auto mode maximizes accuracies; improvements reset the wait', () => {
    const p = new ReduceOnPlateau({ ...base, monitor: 'valAccuracy', cooldown: 0, minDelta: 0 });
    const epochs: [number, number][] = [
      [0.5, 0.1],
      [0.6, 0.1], // better
      [0.6, 0.1], // wait 1
      [0.7, 0.1], // better: wait 0
      [0.65, 0.1], // wait 1
      [0.69, 0.05], // wait 2: reduce
    ];
    for (const [valAccuracy, lr] of epochs) expect(p.update({ valAccuracy })).toBe(f32(lr));
  });

  it('state round-trips through JSON; a missing monitor is an error', () => {
    const p = new ReduceOnPlateau(base);
    for (const v of [1, 1, 1]) p.update({ valLoss: v });
    const q = new ReduceOnPlateau(base);
    q.state = JSON.parse(JSON.stringify(p.state));
    for (const v of [1, 1, 1, 1]) expect(q.update({ valLoss: v })).toBe(p.update({ valLoss: v }));
    expect(() => p.update({ loss: 1 })).toThrow(/monitors "valLoss"/);
  });
});
