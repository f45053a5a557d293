import type { Schedule } from '@netspec/spec';

// Keras evaluates schedules in float32 on the device; f32 rounds every intermediate the same way,
// which matters where terms cancel (1 + cos near the end of a cosine decay).
const f32 = Math.fround;

type Of<T extends Schedule['type']> = Extract<Schedule, { type: T }>;

/**
 * The learning rate of optimizer step `step` (Keras's `optimizer.iterations`: 0 for the first
 * step). reduceOnPlateau changes the rate between epochs, so here it is its initial rate; the
 * epoch-level value comes from `ReduceOnPlateau`.
 */
export function learningRateAt(lr: number | Schedule, step: number): number {
  if (typeof lr === 'number') return lr;
  switch (lr.type) {
    case 'exponentialDecay':
      return f32(f32(lr.initialLearningRate) * f32(f32(lr.decayRate) ** decayProgress(lr, step)));
    case 'inverseTimeDecay':
      return f32(
        f32(lr.initialLearningRate) / f32(1 + f32(f32(lr.decayRate) * decayProgress(lr, step))),
      );
    case 'piecewiseConstantDecay':
      return f32(piecewise(lr, step));
    case 'cosineDecay':
      return cosineDecay(lr, step);
    case 'reduceOnPlateau':
      return lr.initialLearningRate;
  }
}

/** step / decaySteps, floored when `staircase`. */
function decayProgress(s: Of<'exponentialDecay'> | Of<'inverseTimeDecay'>, step: number) {
  const p = f32(f32(step) / f32(s.decaySteps));
  return s.staircase ? Math.floor(p) : p;
}

/** values[0] up to and including boundaries[0], then values[i] on (boundaries[i-1], boundaries[i]]. */
function piecewise(s: Of<'piecewiseConstantDecay'>, step: number): number {
  const i = s.boundaries.findIndex((b) => step <= b);
  const value = i === -1 ? s.values.at(-1) : s.values[i];
  return value ?? 0;
}

/** Keras 3's CosineDecay: optional linear warmup to warmupTarget, then a cosine to alpha. */
function cosineDecay(s: Of<'cosineDecay'>, step: number): number {
  const decaySteps = f32(s.decaySteps);
  const init = f32(s.initialLearningRate);
  if (s.warmupTarget === undefined)
    return cosine(Math.min(f32(step), decaySteps), decaySteps, init, s.alpha);
  const target = f32(s.warmupTarget);
  const warmup = f32(s.warmupSteps);
  const t = Math.min(f32(step), f32(decaySteps + warmup));
  if (t < warmup) return f32(f32(f32(target - init) * f32(t / warmup)) + init);
  return cosine(f32(t - warmup), decaySteps, target, s.alpha);
}

/** from * ((1 - alpha) * 0.5 * (1 + cos(pi * step / decaySteps)) + alpha). */
function cosine(step: number, decaySteps: number, from: number, alpha: number): number {
  const angle = f32(f32(Math.PI) * f32(step / decaySteps));
  const decayed = f32(0.5 * f32(1 + f32(Math.cos(angle))));
  return f32(from * f32(f32(f32(1 - alpha) * decayed) + f32(alpha)));
}

/** What a checkpoint keeps of a ReduceOnPlateau; `best` is null before the first epoch. */
export interface PlateauState {
  learningRate: number;
  best: number | null;
  wait: number;
  cooldownCounter: number;
}

/**
 * Keras's ReduceLROnPlateau, epoch by epoch: after `patience` epochs without an improvement of
 * the monitored log by more than `minDelta`, the rate becomes max(rate * factor, minLearningRate),
 * followed by `cooldown` epochs during which nothing is counted.
 */
export class ReduceOnPlateau {
  state: PlateauState;
  private readonly max: boolean;

  constructor(readonly config: Of<'reduceOnPlateau'>) {
    // Keras's auto mode: maximize when the monitor names an accuracy ("acc" in it).
    this.max =
      config.mode === 'max' ||
      (config.mode === 'auto' && config.monitor.toLowerCase().includes('acc'));
    // The optimizer's learning rate is a float32 variable in Keras.
    this.state = {
      learningRate: f32(config.initialLearningRate),
      best: null,
      wait: 0,
      cooldownCounter: 0,
    };
  }

  get learningRate(): number {
    return this.state.learningRate;
  }
  set learningRate(value: number) {
    this.state.learningRate = f32(value);
  }

  private improved(current: number): boolean {
    const best = this.state.best ?? (this.max ? -Infinity : Infinity);
    const delta = this.config.minDelta;
    return this.max ? current > best + delta : current < best - delta;
  }

  /** Records an epoch's logs; returns the learning rate for the next epoch. */
  update(logs: Record<string, number>): number {
    const current = logs[this.config.monitor];
    if (current === undefined)
      throw new Error(
        `reduceOnPlateau monitors "${this.config.monitor}", which training does not log; logged: ${Object.keys(logs).join(', ')}`,
      );
    const s = this.state;
    // Keras 3's on_epoch_end, step for step.
    if (s.cooldownCounter > 0) {
      s.cooldownCounter -= 1;
      s.wait = 0;
    }
    if (this.improved(current)) {
      s.best = current;
      s.wait = 0;
    } else if (s.cooldownCounter <= 0) {
      s.wait += 1;
      if (s.wait >= this.config.patience && s.learningRate > f32(this.config.minLearningRate)) {
        s.learningRate = f32(
          Math.max(s.learningRate * this.config.factor, this.config.minLearningRate),
        );
        s.cooldownCounter = this.config.cooldown;
        s.wait = 0;
      }
    }
    return s.learningRate;
  }
}
