export { BENCH_MODELS, type BenchModel } from './bench/models.js';
export {
  runTrainingBench,
  type TrainingBenchOptions,
  type TrainingBenchResult,
} from './bench/training.js';
export * from './data/index.js';
export {
  ENGINE_ORDER,
  type EngineAttempt,
  EngineError,
  type EngineInfo,
  type EngineName,
  type EngineProbe,
  engine,
  probeEngines,
  useEngine,
} from './engine.js';
export { type TfjsScorerOptions, tfjsScorer } from './generate/scorer.js';
export { writeFileAtomic } from './io/atomic.js';
export { imageGrid, writeImageGrid } from './io/png.js';
export { registerWasmKernels } from './kernels/register.js';
export { activate, gelu, softmax } from './layers/activations.js';
export type { ApplyContext, ConfigOf, LayerImpl, LayerImpls, WeightPolicy } from './layers/kind.js';
export { LAYER_IMPLS } from './layers/registry.js';
export {
  type BuildOptions,
  buildModel,
  loadWeights,
  saveWeights,
  WeightsError,
} from './model/build.js';
export { initialValues } from './model/initializers.js';
export {
  type ApplyOptions,
  type ForwardResult,
  type ModelWeight,
  NetspecModel,
} from './model/model.js';
export { deriveSeed, Rng } from './random.js';
export { AutoencoderStep, CausalLmStep, GanStep, recipeStep, VaeStep } from './recipes/index.js';
export { type CrossValidation, crossValidate } from './recipes/kfold.js';
export { tfjsRunner } from './runner.js';
export { tf } from './tf.js';
export {
  type CheckpointState,
  loadCheckpoint,
  RUN_FILES,
  snapshotCheckpoint,
  writeCheckpoint,
} from './train/checkpoint.js';
export { evaluate } from './train/evaluate.js';
export type { Batch, Examples } from './train/examples.js';
export {
  type TrainOptions,
  type TrainResult,
  train,
  trainingOf,
  trainingThreads,
} from './train/fit.js';
export { judgeSamples, type Verdict } from './train/judge.js';
export type {
  BatchEvent,
  EpochEvent,
  EpochLogs,
  LoopState,
  StepInfo,
  TrainingStep,
} from './train/loop.js';
export { lossFunction, lossName } from './train/losses.js';
export { createMetric, type StreamingMetric } from './train/metrics.js';
export { createOptimizer, type NetspecOptimizer } from './train/optimizers.js';
export { engineThreads } from './train/parallel/data-parallel.js';
export { TrainingThreadError } from './train/parallel/pool.js';
export {
  DEFAULT_MAX_THREADS,
  MIN_SHARD,
  resolveThreads,
  ThreadsError,
} from './train/parallel/threads.js';
export { learningRateAt, ReduceOnPlateau } from './train/schedules.js';
export { SupervisedObjective, SupervisedStep, Updater } from './train/supervised.js';
