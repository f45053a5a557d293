import { type Loss, type Optimizer, optimizerObject, type Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';
import type { Batch } from './examples.js';
import type { StepInfo, TrainingStep } from './loop.js';
import { lossFunction } from './losses.js';
import { createMetric, type StreamingMetric } from './metrics.js';
import { createOptimizer, type NetspecOptimizer } from './optimizers.js';
import { DataParallel } from './parallel/data-parallel.js';
import { learningRateAt } from './schedules.js';

/** Keras's val_ prefix in camelCase: loss -> valLoss. */
export const valKey = (key: string) => `val${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`;

/** A running mean of a per-batch scalar, weighted by batch size. */
export class Mean {
  private sum = 0;
  private count = 0;
  add(value: number, n: number): void {
    this.sum += value * n;
    this.count += n;
  }
  get value(): number {
    return this.count ? this.sum / this.count : Number.NaN;
  }
}

/** Running means of named per-batch values, for training and validation, as epoch logs. */
export class RunningLogs {
  private sums = { train: new Map<string, Mean>(), val: new Map<string, Mean>() };

  add(which: 'train' | 'val', values: Record<string, number>, n: number): void {
    for (const [k, v] of Object.entries(values)) {
      const m = this.sums[which].get(k) ?? new Mean();
      m.add(v, n);
      this.sums[which].set(k, m);
    }
  }

  /** Training values under their names, validation ones `val`-prefixed. */
  logs(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, m] of this.sums.train) out[k] = m.value;
    for (const [k, m] of this.sums.val) out[valKey(k)] = m.value;
    return out;
  }

  reset(): void {
    this.sums = { train: new Map(), val: new Map() };
  }
}

/** The loss of each output: one loss for all, or one per output name. */
export function lossPerOutput(training: Training, outputs: string[]): Map<string, Loss> {
  const l = training.loss;
  const single = typeof l === 'string' || 'type' in l;
  return new Map(
    outputs.flatMap((name) => {
      const loss = single ? (l as Loss) : (l as Record<string, Loss>)[name];
      return loss ? [[name, loss] as const] : [];
    }),
  );
}

/** Per-sample weights from class weights (sparse or one-hot labels). */
export function classWeights(y: tf.Tensor, weights: Record<string, number>): tf.Tensor {
  return tf.tidy(() => {
    const labels = y.rank > 1 && (y.shape.at(-1) ?? 1) > 1 ? tf.argMax(y, -1) : tf.reshape(y, [-1]);
    const n = Math.max(...Object.keys(weights).map(Number)) + 1;
    const table = Array.from({ length: n }, (_, i) => weights[String(i)] ?? 1);
    // Labels beyond the table get weight 1, as Keras does for classes it is not given.
    const ids = tf.cast(labels, 'int32');
    const inTable = tf.less(ids, n);
    const w = tf.gather(tf.tensor1d(table), tf.cast(tf.minimum(ids, n - 1), 'int32'));
    return tf.where(inTable, w, tf.onesLike(w));
  });
}

/** The optimizer step shared by recipes: gradients of `lossFn`, then constraints. */
export class Updater {
  readonly optimizer: NetspecOptimizer;
  private readonly config: ReturnType<typeof optimizerObject>;

  constructor(
    optimizer: Optimizer,
    readonly variables: tf.Variable[],
    readonly model: NetspecModel,
  ) {
    this.config = optimizerObject(optimizer);
    this.optimizer = createOptimizer(this.config, variables);
  }

  learningRate(info: StepInfo): number {
    return info.learningRate ?? learningRateAt(this.config.learningRate, this.optimizer.iterations);
  }

  /** One step on `lossFn`; returns the loss value. */
  minimize(lossFn: () => tf.Scalar, info: StepInfo): number {
    const { value, grads } = tf.variableGrads(lossFn, this.variables);
    const loss = value.dataSync()[0] as number;
    this.apply(
      this.variables.map((v) => grads[v.name] as tf.Tensor),
      info,
    );
    tf.dispose([value, ...Object.values(grads)]);
    return loss;
  }

  /** One step with gradients computed elsewhere (one per variable, in order); keeps them. */
  apply(grads: tf.Tensor[], info: StepInfo): void {
    this.optimizer.apply(grads, this.learningRate(info));
    this.model.applyConstraints();
  }
}

/**
 * What supervised training minimizes: the spec's losses per output (with `lossWeights` and, in
 * training, class weights), the weights' regularization and the layers' activity loss. The main
 * thread and every training thread build one from the same training section, so all compute
 * the same function of their samples.
 */
export class SupervisedObjective {
  private readonly losses: Map<string, (t: tf.Tensor, p: tf.Tensor, w?: tf.Tensor) => tf.Scalar>;

  constructor(
    readonly model: NetspecModel,
    readonly training: Training,
  ) {
    const perOutput = lossPerOutput(training, model.outputNames);
    this.losses = new Map([...perOutput].map(([o, l]) => [o, lossFunction(l)]));
  }

  /** The weighted sum of the outputs' losses; class weights apply to training only (Keras). */
  totalLoss(batch: Batch, preds: Record<string, tf.Tensor>, training: boolean): tf.Scalar {
    const weights = this.training.lossWeights ?? {};
    const classWeight = training ? this.training.classWeight : undefined;
    const terms = [...this.losses].map(([output, fn]) => {
      const y = batch.y[output] as tf.Tensor;
      const sw = classWeight ? classWeights(y, classWeight) : undefined;
      return tf.mul(weights[output] ?? 1, fn(y, preds[output] as tf.Tensor, sw));
    });
    return tf.addN(terms) as tf.Scalar;
  }

  /** The training loss of `batch` (a forward pass in training mode seeded by `seed`), and the outputs. */
  trainingLoss(
    batch: Batch,
    seed: number,
  ): { loss: tf.Scalar; outputs: Record<string, tf.Tensor> } {
    const { outputs, activityLoss } = this.model.forward(batch.x, { training: true, seed });
    const loss = tf.addN([
      this.totalLoss(batch, outputs, true),
      this.model.regularizationLoss(),
      activityLoss,
    ]) as tf.Scalar;
    return { loss, outputs };
  }
}

/** Supervised training (Keras's fit): inputs to targets, the spec's losses, metrics and weights. */
export class SupervisedStep implements TrainingStep {
  readonly updater: Updater;
  readonly objective: SupervisedObjective;
  private readonly metrics: { output: string; key: string; metric: StreamingMetric }[] = [];
  private readonly valMetrics: { output: string; key: string; metric: StreamingMetric }[] = [];
  private loss = new Mean();
  private valLoss = new Mean();
  private validated = false;
  private parallel: DataParallel | undefined;

  constructor(
    readonly model: NetspecModel,
    readonly training: Training,
  ) {
    const outputs = model.outputNames;
    const perOutput = lossPerOutput(training, outputs);
    this.objective = new SupervisedObjective(model, training);
    const multi = perOutput.size > 1;
    for (const [output, loss] of perOutput) {
      for (const m of training.metrics) {
        const make = () => createMetric(m, loss);
        const name = make().name;
        const key = multi ? `${output}_${name}` : name;
        this.metrics.push({ output, key, metric: make() });
        this.valMetrics.push({ output, key, metric: make() });
      }
    }
    if (training.classWeight && perOutput.size > 1)
      throw new Error('classWeight needs a model with one output (Keras has the same rule)');
    this.updater = new Updater(training.optimizer, model.trainableVariables(), model);
  }

  /**
   * Trains on `threads` threads from now on (data parallel, see parallel/data-parallel.ts):
   * starts threads - 1 training threads on the engine in use. Returns how many threads train
   * (1 when the engine runs its kernels on every core itself). `dispose` stops them.
   */
  async useThreads(threads: number): Promise<number> {
    this.parallel?.dispose();
    this.parallel = undefined;
    if (threads <= 1) return 1;
    this.parallel = await DataParallel.start(this.objective, threads, this.metrics.length > 0);
    return this.parallel ? threads : 1;
  }

  /** Threads that train a batch of `size` samples (fewer for small batches). */
  threadsFor(size: number): number {
    return this.parallel ? this.parallel.shardsOf(size).length : 1;
  }

  train(batch: Batch, info: StepInfo): void {
    if (this.parallel && this.parallel.shardsOf(batch.size).length > 1) {
      this.trainParallel(this.parallel, batch, info);
      return;
    }
    let preds: Record<string, tf.Tensor> = {};
    const loss = this.updater.minimize(() => {
      const { loss, outputs } = this.objective.trainingLoss(batch, info.seed);
      preds = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, tf.keep(v)]));
      return loss;
    }, info);
    this.loss.add(loss, batch.size);
    for (const { output, metric } of this.metrics)
      metric.update(batch.y[output] as tf.Tensor, preds[output] as tf.Tensor);
    tf.dispose(Object.values(preds));
  }

  /** One step over shards on several threads; metrics see every shard, in shard order. */
  private trainParallel(parallel: DataParallel, batch: Batch, info: StepInfo): void {
    const { loss, grads, shards } = parallel.gradients(batch, info.seed);
    try {
      this.updater.apply(grads, info);
      this.loss.add(loss, batch.size);
      if (this.metrics.length)
        for (const shard of shards)
          for (const { output, metric } of this.metrics)
            metric.update(shard.y[output] as tf.Tensor, shard.outputs[output] as tf.Tensor);
    } finally {
      tf.dispose(grads);
      for (const shard of shards)
        tf.dispose([...Object.values(shard.y), ...Object.values(shard.outputs)]);
    }
  }

  validate(batch: Batch): void {
    this.validated = true;
    tf.tidy(() => {
      const { outputs } = this.model.forward(batch.x);
      const loss = tf.add(
        this.objective.totalLoss(batch, outputs, false),
        this.model.regularizationLoss(),
      );
      this.valLoss.add(loss.dataSync()[0] as number, batch.size);
      for (const { output, metric } of this.valMetrics)
        metric.update(batch.y[output] as tf.Tensor, outputs[output] as tf.Tensor);
    });
  }

  logs(): Record<string, number> {
    const out: Record<string, number> = { loss: this.loss.value };
    for (const { key, metric } of this.metrics) out[key] = metric.result();
    if (this.validated) {
      out.valLoss = this.valLoss.value;
      for (const { key, metric } of this.valMetrics) out[valKey(key)] = metric.result();
    }
    return out;
  }

  slots(): Record<string, tf.Tensor> {
    return this.updater.optimizer.state();
  }

  dispose(): void {
    this.parallel?.dispose();
    this.parallel = undefined;
    this.updater.optimizer.dispose();
  }

  loadSlots(slots: Record<string, tf.Tensor>): void {
    this.updater.optimizer.loadState(slots);
  }

  resetLogs(): void {
    this.loss = new Mean();
    this.valLoss = new Mean();
    this.validated = false;
    for (const { metric } of [...this.metrics, ...this.valMetrics]) metric.reset();
  }
}
