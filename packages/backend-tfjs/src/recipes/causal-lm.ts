import type { Training } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';
import type { Batch } from '../train/examples.js';
import type { StepInfo } from '../train/loop.js';
import { SupervisedStep } from '../train/supervised.js';

/**
 * Next-token training: the data holds token sequences (B, L+1); the model reads tokens [0, L)
 * and predicts tokens [1, L+1). Logs perplexity = exp(loss) per token.
 */
export class CausalLmStep extends SupervisedStep {
  constructor(model: NetspecModel, training: Training) {
    super(model, training);
    if (model.inputNames.length !== 1 || model.outputNames.length !== 1)
      throw new Error(
        'the causalLm recipe needs a model with one input (token ids) and one output',
      );
  }

  private shift(batch: Batch): Batch {
    const ids = batch.x[this.model.inputNames[0] as string] as tf.Tensor2D;
    const [b, l] = ids.shape;
    // (B, L+1) -> inputs (B, L) and next-token targets (B, L)
    const x = tf.slice(ids, [0, 0], [b, l - 1]);
    const y = tf.slice(ids, [0, 1], [b, l - 1]);
    return {
      x: { [this.model.inputNames[0] as string]: x },
      y: { [this.model.outputNames[0] as string]: y },
      size: batch.size,
    };
  }

  override train(batch: Batch, info: StepInfo): void {
    const b = this.shift(batch);
    try {
      super.train(b, info);
    } finally {
      tf.dispose([...Object.values(b.x), ...Object.values(b.y)]);
    }
  }

  override validate(batch: Batch): void {
    const b = this.shift(batch);
    try {
      super.validate(b);
    } finally {
      tf.dispose([...Object.values(b.x), ...Object.values(b.y)]);
    }
  }

  override logs(): Record<string, number> {
    const logs = super.logs();
    logs.perplexity = Math.exp(logs.loss as number);
    if (logs.valLoss !== undefined) logs.valPerplexity = Math.exp(logs.valLoss);
    return logs;
  }
}
