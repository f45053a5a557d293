import type { Loss, Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import { deriveSeed } from '../random.js';
import { tf } from '../tf.js';
import type { Batch } from '../train/examples.js';
import type { StepInfo, TrainingStep } from '../train/loop.js';
import { lossFunction } from '../train/losses.js';
import { RunningLogs, Updater } from '../train/supervised.js';
import { subgraphNodes, variablesOf } from './subgraph.js';

type GanRecipe = Extract<NonNullable<Training['recipe']>, { type: 'gan' }>;

/**
 * The GAN recipe (Goodfellow et al. 2014, the non-saturating generator loss): per batch,
 * `discriminatorSteps` updates of D on real (label 1 - smoothing) and generated (label 0)
 * samples, then one update of G to make D call its samples real. The data holds real samples only.
 */
export class GanStep implements TrainingStep {
  readonly discriminator: Updater;
  readonly generator: Updater;
  private readonly loss: (t: tf.Tensor, p: tf.Tensor) => tf.Scalar;
  private readonly latentShape: number[];
  private readonly running = new RunningLogs();

  constructor(
    readonly model: NetspecModel,
    readonly training: Training,
    readonly recipe: GanRecipe,
  ) {
    const { generator: g, discriminator: d } = recipe;
    this.generator = new Updater(
      training.optimizer,
      variablesOf(model, subgraphNodes(model, g.input, g.output)),
      model,
    );
    this.discriminator = new Updater(
      recipe.discriminatorOptimizer ?? training.optimizer,
      variablesOf(model, subgraphNodes(model, d.input, d.output)),
      model,
    );
    this.loss = lossFunction(training.loss as Loss);
    const latent = model.resolved.inputs.find((t) => t.name === g.input);
    if (!latent || latent.shape.some((s) => s === null))
      throw new Error(
        `the gan generator input "${g.input}" must be a model input with a fixed shape`,
      );
    this.latentShape = latent.shape as number[];
  }

  /** Latent vectors z ~ N(0, 1), seeded. */
  private latent(n: number, seed: number): tf.Tensor {
    return tf.randomNormal([n, ...this.latentShape], 0, 1, 'float32', seed);
  }

  /** Generated samples for `n` latent draws (inference mode unless training). */
  generate(z: tf.Tensor, training = false, seed = 0): tf.Tensor {
    const { input, output } = this.recipe.generator;
    return this.model.forward({ [input]: z }, { training, seed, outputs: [output] }).outputs[
      output
    ] as tf.Tensor;
  }

  private judge(samples: tf.Tensor, training: boolean, seed: number): tf.Tensor {
    const { input, output } = this.recipe.discriminator;
    return this.model.forward({ [input]: samples }, { training, seed, outputs: [output] }).outputs[
      output
    ] as tf.Tensor;
  }

  private realSamples(batch: Batch): tf.Tensor {
    const real = batch.x[this.recipe.discriminator.input] ?? Object.values(batch.x)[0];
    if (!real) throw new Error('the gan recipe needs real samples in the data');
    return real;
  }

  /** Discriminator loss on real and fake samples, the Keras DCGAN example's way (one batch). */
  private discriminatorLoss(
    real: tf.Tensor,
    fake: tf.Tensor,
    training: boolean,
    seed: number,
  ): tf.Scalar {
    const n = real.shape[0] as number;
    const logits = this.judge(tf.concat([fake, real], 0), training, seed);
    const labels = tf.concat([
      tf.zeros([n, ...logits.shape.slice(1)]),
      tf.fill([n, ...logits.shape.slice(1)], 1 - this.recipe.labelSmoothing),
    ]);
    return this.loss(labels, logits);
  }

  private generatorLoss(z: tf.Tensor, training: boolean, seed: number): tf.Scalar {
    const logits = this.judge(this.generate(z, training, seed), training, seed);
    // Non-saturating: G maximizes log D(G(z)) by labelling its samples real.
    return this.loss(tf.onesLike(logits), logits);
  }

  train(batch: Batch, info: StepInfo): void {
    const real = this.realSamples(batch);
    const n = batch.size;
    let dLoss = 0;
    for (let k = 0; k < this.recipe.discriminatorSteps; k++) {
      const seed = deriveSeed(info.seed, 'd', k);
      const fake = tf.tidy(() => this.generate(this.latent(n, seed), true, seed));
      dLoss = this.discriminator.minimize(
        () => this.discriminatorLoss(real, fake, true, seed),
        info,
      );
      fake.dispose();
    }
    const seed = deriveSeed(info.seed, 'g');
    const z = this.latent(n, seed);
    const gLoss = this.generator.minimize(() => this.generatorLoss(z, true, seed), info);
    z.dispose();
    this.record('train', { discriminatorLoss: dLoss, generatorLoss: gLoss }, n);
  }

  validate(batch: Batch): void {
    const values = tf.tidy(() => {
      const real = this.realSamples(batch);
      const z = this.latent(batch.size, 0);
      const d = this.discriminatorLoss(real, this.generate(z), false, 0);
      const g = this.generatorLoss(z, false, 0);
      return {
        discriminatorLoss: d.dataSync()[0] as number,
        generatorLoss: g.dataSync()[0] as number,
      };
    });
    this.record('val', values, batch.size);
  }

  private record(which: 'train' | 'val', values: Record<string, number>, n: number): void {
    this.running.add(which, { ...values, loss: values.generatorLoss ?? 0 }, n);
  }

  logs(): Record<string, number> {
    return this.running.logs();
  }

  resetLogs(): void {
    this.running.reset();
  }

  slots(): Record<string, tf.Tensor> {
    const prefixed = (p: string, s: Record<string, tf.Tensor>) =>
      Object.fromEntries(Object.entries(s).map(([k, v]) => [`${p}.${k}`, v]));
    return {
      ...prefixed('generator', this.generator.optimizer.state()),
      ...prefixed('discriminator', this.discriminator.optimizer.state()),
    };
  }

  dispose(): void {
    this.generator.optimizer.dispose();
    this.discriminator.optimizer.dispose();
  }

  loadSlots(slots: Record<string, tf.Tensor>): void {
    const part = (p: string) =>
      Object.fromEntries(
        Object.entries(slots)
          .filter(([k]) => k.startsWith(`${p}.`))
          .map(([k, v]) => [k.slice(p.length + 1), v]),
      );
    this.generator.optimizer.loadState(part('generator'));
    this.discriminator.optimizer.loadState(part('discriminator'));
  }
}
