import type { Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';
import type { Batch } from '../train/examples.js';
import type { StepInfo } from '../train/loop.js';
import { SupervisedStep } from '../train/supervised.js';

/**
 * An autoencoder learns its own input: the target is the clean input; with `noiseStddev` the
 * model sees a noisy copy (a denoising autoencoder). One input, one output.
 */
export class AutoencoderStep extends SupervisedStep {
  constructor(
    model: NetspecModel,
    training: Training,
    private readonly noiseStddev: number,
  ) {
    super(model, training);
    if (model.inputNames.length !== 1 || model.outputNames.length !== 1)
      throw new Error('the autoencoder recipe needs a model with one input and one output');
  }

  private pairs(batch: Batch, seed?: number): Batch {
    const input = this.model.inputNames[0] as string;
    const output = this.model.outputNames[0] as string;
    const clean = batch.x[input] as tf.Tensor;
    const noisy =
      seed !== undefined && this.noiseStddev > 0
        ? tf.add(clean, tf.randomNormal(clean.shape, 0, this.noiseStddev, 'float32', seed))
        : clean;
    return { x: { [input]: noisy }, y: { [output]: clean }, size: batch.size };
  }

  override train(batch: Batch, info: StepInfo): void {
    const b = this.pairs(batch, info.seed);
    try {
      super.train(b, info);
    } finally {
      for (const [k, t] of Object.entries(b.x)) if (t !== batch.x[k]) t.dispose();
    }
  }

  override validate(batch: Batch): void {
    super.validate(this.pairs(batch));
  }
}
