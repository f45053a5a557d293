import type { Recipe, Training } from '@netspec/spec';
import { engine } from '../engine.js';
import { loadWeights, saveWeights } from '../model/build.js';
import type { NetspecModel } from '../model/model.js';
import { recipeStep } from '../recipes/index.js';
import { tf } from '../tf.js';
import {
  type CheckpointState,
  loadCheckpoint,
  snapshotCheckpoint,
  writeCheckpoint,
} from './checkpoint.js';
import { checkInputs, type Examples, pairByName, sliceExamples } from './examples.js';
import {
  type BatchEvent,
  type EpochEvent,
  type EpochLogs,
  type LoopState,
  runLoop,
  type TrainingStep,
} from './loop.js';
import { engineThreads } from './parallel/data-parallel.js';
import { ReduceOnPlateau } from './schedules.js';
import { SupervisedStep } from './supervised.js';

export interface TrainOptions {
  /** Overrides of the spec's training section. */
  epochs?: number;
  batchSize?: number;
  seed?: number;
  /** Held-out data; default: the spec's validationSplit of `data` (its last samples, like Keras). */
  validationData?: Examples;
  onBatch?: (e: BatchEvent) => void;
  onEpoch?: (e: EpochEvent) => void;
  /** Stops at the next batch and saves a resumable checkpoint (when runDir is set). */
  signal?: AbortSignal;
  /** Where checkpoints go: spec.json, weights.safetensors, optimizer.safetensors, state.json, history.json. */
  runDir?: string;
  /** Continue the checkpoint in runDir exactly where it stopped. */
  resume?: boolean;
  /**
   * Threads that train (data parallel, on the wasm and cpu engines): a count, or 'auto' for the
   * machine's cores. Default: NETSPEC_THREADS, else 'auto'. The same seed and thread count give
   * bit-identical weights; another count gives other (equally valid) float roundings.
   */
  threads?: number | 'auto';
}

export interface TrainResult {
  history: EpochLogs[];
  state: LoopState;
  /** True when the signal stopped training before the last epoch. */
  aborted: boolean;
  /** True when early stopping ended training. */
  stoppedEarly: boolean;
  /** Threads that trained (see `trainingThreads`). */
  threads: number;
}

/** Recipes whose step is SupervisedStep's, which trains data parallel. */
const THREADED_RECIPES: readonly Recipe['type'][] = ['fit', 'autoencoder', 'causalLm'];

/**
 * How many threads `train` will use for `model` with `requested` threads (or NETSPEC_THREADS, or
 * the machine's cores), and why fewer when so. Throws a ThreadsError on a bad count.
 */
export function trainingThreads(
  model: NetspecModel,
  requested?: number | 'auto',
): { threads: number; reason?: string } {
  const plan = engineThreads(requested);
  const recipe = trainingOf(model).recipe?.type ?? 'fit';
  if (plan.threads > 1 && !THREADED_RECIPES.includes(recipe))
    return { threads: 1, reason: `the ${recipe} recipe trains on one thread` };
  return plan;
}

/** The training section of the spec; a spec without one cannot be trained. */
export function trainingOf(model: NetspecModel): Training {
  const t = model.resolved.spec.training;
  if (!t) throw new Error('the spec has no "training" section: add one with at least a loss');
  return t;
}

/**
 * The data a recipe trains on, checked against the model: inputs by input name; targets by output
 * name for `fit`.
 */
export function prepare(model: NetspecModel, data: Examples, recipe: Recipe): Examples {
  const x = pairByName(data.x, recipe.type === 'gan' ? [] : model.inputNames, 'inputs');
  // causalLm reads sequences one token longer than the model's input (inputs plus next token).
  const expected = model.resolved.inputs.map((t) =>
    recipe.type === 'causalLm'
      ? { ...t, shape: t.shape.map((d, i) => (i === 0 && d !== null ? d + 1 : d)) }
      : t,
  );
  checkInputs(recipe.type === 'gan' ? data.x : x, expected);
  if (recipe.type !== 'fit')
    return { x: recipe.type === 'gan' ? data.x : x, y: {}, size: data.size };
  return { x, y: pairByName(data.y, model.outputNames, 'targets'), size: data.size };
}

/**
 * Trains `model` with its spec's training section (or the recipe it names) on `data`.
 * The same seed, data and engine give bit-identical weights.
 */
export async function train(
  model: NetspecModel,
  data: Examples,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const training = trainingOf(model);
  const recipe: Recipe = training.recipe ?? { type: 'fit' };
  const seed = options.seed ?? training.seed ?? 0;
  const epochs = options.epochs ?? training.epochs;
  let examples = prepare(model, data, recipe);
  let validation = options.validationData && prepare(model, options.validationData, recipe);
  if (!validation && training.validationSplit > 0) {
    const cut = Math.floor(examples.size * (1 - training.validationSplit));
    validation = sliceExamples(examples, cut, examples.size);
    examples = sliceExamples(examples, 0, cut);
  }
  if (examples.size === 0) throw new Error('no training samples left after the validation split');
  const step: TrainingStep = recipeStep(model, training, recipe);
  const lr =
    (typeof training.optimizer === 'object' && training.optimizer.learningRate) || undefined;
  const plateau =
    typeof lr === 'object' && lr.type === 'reduceOnPlateau' ? new ReduceOnPlateau(lr) : undefined;

  let resume: LoopState | undefined;
  if (options.resume) {
    if (!options.runDir) throw new Error('resume needs the run directory of the checkpoint');
    const { state, slots } = await loadCheckpoint(options.runDir, model);
    step.loadSlots(slots);
    tf.dispose(Object.values(slots));
    resume = state.loop;
  }
  let best: Uint8Array | undefined;
  const checkpoint = (loop: LoopState): CheckpointState => ({
    format: 'netspec-checkpoint',
    version: 1,
    seed,
    engine: engine()?.name ?? tf.getBackend(),
    loop,
  });
  // Checkpoints are written in order while training goes on.
  let writes = Promise.resolve();
  let state: LoopState;
  let threads = 1;
  try {
    const plan = trainingThreads(model, options.threads);
    if (plan.threads > 1 && step instanceof SupervisedStep)
      threads = await step.useThreads(plan.threads);
    state = await runLoop(step, examples, {
      epochs,
      batchSize: options.batchSize ?? training.batchSize,
      shuffle: training.shuffle,
      seed,
      validation,
      earlyStopping: training.earlyStopping,
      plateau,
      onBatch: options.onBatch,
      onEpoch: options.onEpoch,
      signal: options.signal,
      resume,
      onBest: training.earlyStopping?.restoreBestWeights
        ? () => {
            best = saveWeights(model);
          }
        : undefined,
      onCheckpoint: (loop, reason) => {
        if (reason === 'end' && best && loop.epoch < epochs) loadWeights(model, best);
        const dir = options.runDir;
        if (!dir) return;
        const slots = step.slots();
        const files = snapshotCheckpoint(model, slots, checkpoint(structuredClone(loop)));
        tf.dispose(Object.values(slots));
        writes = writes.then(() => writeCheckpoint(dir, files));
      },
    });
    await writes;
  } finally {
    step.dispose();
  }
  return {
    history: state.history,
    state,
    aborted: !state.done,
    stoppedEarly: state.done && state.epoch < epochs,
    threads,
  };
}
