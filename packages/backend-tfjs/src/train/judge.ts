import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';

/** How a trained classifier sees generated samples: a quality check for GANs and VAEs. */
export interface Verdict {
  /** Mean over the samples of the classifier's top-1 probability (1 = every sample unambiguous). */
  meanTopConfidence: number;
  /** How many samples the classifier put in each class. */
  classCounts: number[];
  /** True when every class appears at least once (no mode collapse onto a few classes). */
  allClassesPresent: boolean;
}

/** Runs `classifier` (softmax output) over `samples` in inference mode and summarises it. */
export function judgeSamples(classifier: NetspecModel, samples: tf.Tensor): Verdict {
  return tf.tidy(() => {
    const probs = classifier.predict(samples)[0] as tf.Tensor;
    const classes = probs.shape[probs.shape.length - 1] as number;
    const meanTopConfidence = tf.mean(tf.max(probs, -1)).dataSync()[0] as number;
    const picked = tf.argMax(probs, -1).dataSync();
    const classCounts = new Array<number>(classes).fill(0);
    for (const c of picked) classCounts[c] = (classCounts[c] as number) + 1;
    return { meanTopConfidence, classCounts, allClassesPresent: classCounts.every((n) => n > 0) };
  });
}
