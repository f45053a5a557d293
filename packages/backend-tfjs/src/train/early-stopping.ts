import type { EarlyStopping } from '@netspec/spec';

/** Keras's EarlyStopping decision, epoch by epoch; its state travels in checkpoints. */
export interface EarlyStoppingState {
  wait: number;
  best: number | null;
  bestEpoch: number;
}

/** Keras's 'auto' mode: maximize accuracy-like quantities, minimize the rest. */
export function maximizes(monitor: string, mode: EarlyStopping['mode']): boolean {
  if (mode !== 'auto') return mode === 'max';
  return /acc|auc|precision|recall|f1/i.test(monitor);
}

export class EarlyStopper {
  state: EarlyStoppingState = { wait: 0, best: null, bestEpoch: -1 };
  private readonly max: boolean;

  constructor(readonly config: EarlyStopping) {
    this.max = maximizes(config.monitor, config.mode);
  }

  private improved(value: number, reference: number): boolean {
    const delta = this.config.minDelta;
    return this.max ? value - delta > reference : value + delta < reference;
  }

  /**
   * Records an epoch's logs; returns whether it was the best so far and whether to stop.
   * A missing monitored value is an error: it would otherwise never stop.
   */
  update(epoch: number, logs: Record<string, number>): { best: boolean; stop: boolean } {
    const value = logs[this.config.monitor];
    if (value === undefined)
      throw new Error(
        `earlyStopping monitors "${this.config.monitor}", which training does not log; logged: ${Object.keys(logs).join(', ')}`,
      );
    if (epoch < this.config.startFromEpoch) return { best: false, stop: false };
    // Keras 3's on_epoch_end, step for step.
    const s = this.state;
    s.wait += 1;
    if (s.best === null || this.improved(value, s.best)) {
      s.best = value;
      s.bestEpoch = epoch;
      const { baseline } = this.config;
      // Only restart the wait when both the baseline and the previous best are beaten.
      if (baseline === undefined || this.improved(value, baseline)) s.wait = 0;
      return { best: true, stop: false };
    }
    return { best: false, stop: s.wait >= this.config.patience && epoch > 0 };
  }
}
