import { type Loss, lossObject, type Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import { deriveSeed } from '../random.js';
import { tf } from '../tf.js';
import type { Batch } from '../train/examples.js';
import type { StepInfo, TrainingStep } from '../train/loop.js';
import { RunningLogs, Updater } from '../train/supervised.js';

type VaeRecipe = Extract<NonNullable<Training['recipe']>, { type: 'vae' }>;

/** Log-likelihood terms the VAE sums over each sample's features (nats). */
function reconstruction(loss: Loss, x: tf.Tensor, out: tf.Tensor): tf.Tensor {
  const l = lossObject(loss);
  const flat = (t: tf.Tensor) => tf.reshape(t, [t.shape[0] as number, -1]);
  const [target, pred] = [flat(x), flat(out)];
  if (l.type === 'mse') return tf.sum(tf.squaredDifference(target, pred), 1);
  if (l.type !== 'binaryCrossentropy')
    throw new Error(`the vae recipe needs loss binaryCrossentropy or mse, got ${l.type}`);
  if (l.fromLogits) {
    // max(z, 0) - z·x + log(1 + e^-|z|): the stable Bernoulli negative log-likelihood
    const z = pred;
    const nll = tf.add(tf.sub(tf.relu(z), tf.mul(z, target)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    return tf.sum(nll, 1);
  }
  const p = tf.clipByValue(pred, 1e-7, 1 - 1e-7);
  const nll = tf.neg(
    tf.add(tf.mul(target, tf.log(p)), tf.mul(tf.sub(1, target), tf.log1p(tf.neg(p)))),
  );
  return tf.sum(nll, 1);
}

/** KL(N(mean, exp(logVar)) || N(0, 1)) per sample: -0.5·Σ(1 + logVar - mean² - exp(logVar)). */
function klDivergence(mean: tf.Tensor, logVar: tf.Tensor): tf.Tensor {
  const flat = (t: tf.Tensor) => tf.reshape(t, [t.shape[0] as number, -1]);
  const [m, lv] = [flat(mean), flat(logVar)];
  return tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, lv), tf.square(m)), tf.exp(lv)), 1));
}

/**
 * The VAE recipe (Kingma & Welling 2014): minimize the negative ELBO per sample, reconstruction
 * summed over features plus beta·KL. Logs loss (negative ELBO, nats per sample), reconstruction, kl.
 */
export class VaeStep implements TrainingStep {
  readonly updater: Updater;
  private readonly running = new RunningLogs();

  constructor(
    readonly model: NetspecModel,
    readonly training: Training,
    readonly recipe: VaeRecipe,
  ) {
    if (model.inputNames.length !== 1 || model.outputNames.length !== 1)
      throw new Error(
        'the vae recipe needs a model with one input and one output (the reconstruction)',
      );
    this.updater = new Updater(training.optimizer, model.trainableVariables(), model);
  }

  /**
   * The batch's mean terms [loss, reconstruction, kl]. The latent is sampled here and fed to the
   * decoder, so the estimate does not depend on what the sampling layer does at inference.
   */
  terms(batch: Batch, training: boolean, seed: number): tf.Scalar[] {
    const input = this.model.inputNames[0] as string;
    const output = this.model.outputNames[0] as string;
    const { mean, logVar, latent } = this.recipe;
    const enc = this.model.forward(batch.x, { training, seed, outputs: [mean, logVar] }).outputs;
    const [m, lv] = [enc[mean] as tf.Tensor, enc[logVar] as tf.Tensor];
    const eps = tf.randomNormal(m.shape, 0, 1, 'float32', deriveSeed(seed, 'vae.eps'));
    // z = mean + sigma * eps, sigma = exp(logVar / 2)
    const z = tf.add(m, tf.mul(tf.exp(tf.mul(0.5, lv)), eps));
    const dec = this.model.forward(
      { ...batch.x, [latent]: z },
      { training, seed, outputs: [output] },
    );
    const x = batch.x[input] as tf.Tensor;
    const rec = tf.mean(
      reconstruction(this.training.loss as Loss, x, dec.outputs[output] as tf.Tensor),
    );
    const kl = tf.mean(klDivergence(m, lv));
    const loss = tf.add(rec, tf.mul(this.recipe.beta, kl));
    return [loss, rec, kl] as tf.Scalar[];
  }

  private record(which: 'train' | 'val', [loss, reconstruction, kl]: number[], n: number): void {
    this.running.add(
      which,
      { loss: loss ?? 0, reconstruction: reconstruction ?? 0, kl: kl ?? 0 },
      n,
    );
  }

  train(batch: Batch, info: StepInfo): void {
    let parts: number[] = [];
    this.updater.minimize(() => {
      const [loss, rec, kl] = this.terms(batch, true, info.seed);
      parts = [rec, kl].map((t) => (t as tf.Scalar).dataSync()[0] as number);
      return tf.add(loss as tf.Scalar, this.model.regularizationLoss());
    }, info);
    const [rec = 0, kl = 0] = parts;
    this.record('train', [rec + this.recipe.beta * kl, rec, kl], batch.size);
  }

  validate(batch: Batch): void {
    const values = tf.tidy(() => this.terms(batch, false, 0).map((t) => t.dataSync()[0] as number));
    this.record('val', values, batch.size);
  }

  logs(): Record<string, number> {
    return this.running.logs();
  }

  resetLogs(): void {
    this.running.reset();
  }

  slots(): Record<string, tf.Tensor> {
    return this.updater.optimizer.state();
  }

  dispose(): void {
    this.updater.optimizer.dispose();
  }

  loadSlots(slots: Record<string, tf.Tensor>): void {
    this.updater.optimizer.loadState(slots);
  }
}
