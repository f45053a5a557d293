import type { EarlyStopping } from '@netspec/spec';
import { deriveSeed, Rng } from '../random.js';
import type { tf } from '../tf.js';
import { EarlyStopper, type EarlyStoppingState } from './early-stopping.js';
import { type Batch, disposeBatch, type Examples, makeBatch } from './examples.js';
import type { PlateauState } from './schedules.js';

/** What the loop tells a step besides the batch. */
export interface StepInfo {
  /** Optimizer steps taken before this one, over the whole run. */
  step: number;
  /** Seed of this step's randomness (dropout, noise, sampling). */
  seed: number;
  /** A learning rate set by reduceOnPlateau, overriding the optimizer's own schedule. */
  learningRate?: number | undefined;
}

/** How a recipe trains: the loop owns epochs, batches, events and stopping; a step owns the math. */
export interface TrainingStep {
  train(batch: Batch, info: StepInfo): void;
  /** Accumulates validation logs (inference mode). */
  validate(batch: Batch): void;
  /** Training logs of the epoch so far (loss, metrics), and `val`-prefixed ones after validation. */
  logs(): Record<string, number>;
  /** Starts the accumulators of a new epoch. */
  resetLogs(): void;
  /** Optimizer slots of every optimizer, for checkpoints. */
  slots(): Record<string, tf.Tensor>;
  loadSlots(slots: Record<string, tf.Tensor>): void;
  /** Frees the optimizers' slots once training ends (a checkpoint keeps them for resume). */
  dispose(): void;
}

/** reduceOnPlateau's contract with the loop; its state travels in checkpoints. */
export interface PlateauSchedule {
  readonly learningRate: number;
  state: PlateauState;
  update(logs: Record<string, number>): number;
}

export interface BatchEvent {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  step: number;
  logs: Record<string, number>;
  samplesPerSecond: number;
  /** Seconds left in this epoch at the current speed. */
  etaSeconds: number;
}

export interface EpochEvent {
  epoch: number;
  epochs: number;
  logs: Record<string, number>;
  seconds: number;
}

/** One row of history.json. */
export interface EpochLogs extends Record<string, number> {
  epoch: number;
}

/** Where a run stands; saved in checkpoints so a resumed run continues exactly. */
export interface LoopState {
  /** The epoch in progress (0-based) and the next batch in it. */
  epoch: number;
  batch: number;
  step: number;
  history: EpochLogs[];
  earlyStopping?: EarlyStoppingState | undefined;
  plateau?: PlateauState | undefined;
  done: boolean;
}

export interface LoopOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  validation?: Examples | undefined;
  earlyStopping?: EarlyStopping | undefined;
  plateau?: PlateauSchedule | undefined;
  onBatch?: ((e: BatchEvent) => void) | undefined;
  onEpoch?: ((e: EpochEvent) => void) | undefined;
  /** Called after each epoch and when stopping early or on abort, with the state to save. */
  onCheckpoint?: ((state: LoopState, reason: 'epoch' | 'abort' | 'end') => void) | undefined;
  /** Stops at the next batch boundary (Ctrl-C); the state then resumes mid-epoch. */
  signal?: AbortSignal | undefined;
  /** Called with the best epoch when early stopping restores best weights. */
  onBest?: ((epoch: number) => void) | undefined;
  resume?: LoopState | undefined;
}

export const initialState = (): LoopState => ({
  epoch: 0,
  batch: 0,
  step: 0,
  history: [],
  done: false,
});

/** The sample order of an epoch: a function of the seed and the epoch alone, so resume can redo it. */
export function epochOrder(
  size: number,
  seed: number,
  epoch: number,
  shuffle: boolean,
): Int32Array {
  if (!shuffle) return Int32Array.from({ length: size }, (_, i) => i);
  return new Rng(deriveSeed(seed, 'shuffle', epoch)).permutation(size);
}

function validate(step: TrainingStep, data: Examples, batchSize: number): void {
  for (let start = 0; start < data.size; start += batchSize) {
    const idx = Int32Array.from(
      { length: Math.min(batchSize, data.size - start) },
      (_, i) => start + i,
    );
    const batch = makeBatch(data, idx);
    try {
      step.validate(batch);
    } finally {
      disposeBatch(batch);
    }
  }
}

/** Lets signal handlers (Ctrl-C) and I/O run between batches; tfjs kernels block the event loop. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Runs epochs of `step` over `data`; returns the final state (history included). */
export async function runLoop(
  step: TrainingStep,
  data: Examples,
  o: LoopOptions,
): Promise<LoopState> {
  const state = o.resume ? structuredClone(o.resume) : initialState();
  const stopper = o.earlyStopping ? new EarlyStopper(o.earlyStopping) : undefined;
  if (stopper && state.earlyStopping) stopper.state = { ...state.earlyStopping };
  if (o.plateau && state.plateau) o.plateau.state = { ...state.plateau };
  const batches = Math.ceil(data.size / o.batchSize);
  while (!state.done && state.epoch < o.epochs) {
    const order = epochOrder(data.size, o.seed, state.epoch, o.shuffle);
    const started = performance.now();
    let seen = 0;
    if (state.batch === 0) step.resetLogs();
    for (; state.batch < batches; state.batch++) {
      await yieldToEventLoop();
      if (o.signal?.aborted) {
        o.onCheckpoint?.(state, 'abort');
        return state;
      }
      const idx = order.subarray(state.batch * o.batchSize, (state.batch + 1) * o.batchSize);
      const batch = makeBatch(data, idx);
      try {
        step.train(batch, {
          step: state.step,
          seed: deriveSeed(o.seed, 'step', state.step),
          learningRate: o.plateau?.learningRate,
        });
      } finally {
        disposeBatch(batch);
      }
      state.step += 1;
      seen += idx.length;
      const seconds = (performance.now() - started) / 1000;
      const speed = seen / Math.max(seconds, 1e-9);
      o.onBatch?.({
        epoch: state.epoch,
        epochs: o.epochs,
        batch: state.batch,
        batches,
        step: state.step,
        logs: step.logs(),
        samplesPerSecond: speed,
        etaSeconds: (data.size - (state.batch + 1) * o.batchSize) / speed,
      });
    }
    if (o.validation) validate(step, o.validation, o.batchSize);
    const logs: Record<string, number> = { ...step.logs() };
    if (o.plateau) logs.learningRate = o.plateau.learningRate;
    const seconds = (performance.now() - started) / 1000;
    state.history.push({ epoch: state.epoch, ...logs, seconds });
    o.onEpoch?.({ epoch: state.epoch, epochs: o.epochs, logs, seconds });
    if (o.plateau) {
      o.plateau.update(logs);
      state.plateau = { ...o.plateau.state };
    }
    if (stopper) {
      const { best, stop } = stopper.update(state.epoch, logs);
      state.earlyStopping = { ...stopper.state };
      if (best) o.onBest?.(state.epoch);
      if (stop) state.done = true;
    }
    state.epoch += 1;
    state.batch = 0;
    if (state.epoch >= o.epochs) state.done = true;
    o.onCheckpoint?.(state, state.done ? 'end' : 'epoch');
  }
  return state;
}
