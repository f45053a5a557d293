import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModel } from '../model/build.js';
import { tf } from '../tf.js';

/** How a trained classifier (a run directory) sees generated digits. */
export interface Verdict {
  meanTopConfidence: number;
  digitCounts: number[];
  allDigitsPresent: boolean;
}

export async function judgeSamples(runDir: string, samples: tf.Tensor): Promise<Verdict> {
  const spec = JSON.parse(await readFile(join(runDir, 'spec.json'), 'utf8'));
  const weights = new Uint8Array(await readFile(join(runDir, 'weights.safetensors')));
  const judge = buildModel(spec, { weights });
  const probs = judge.predict(samples)[0] as tf.Tensor;
  const meanTopConfidence = tf.mean(tf.max(probs, -1)).dataSync()[0] as number;
  const digits = Array.from(tf.argMax(probs, -1).dataSync());
  const digitCounts = Array.from({ length: 10 }, (_, d) => digits.filter((x) => x === d).length);
  judge.dispose();
  return { meanTopConfidence, digitCounts, allDigitsPresent: digitCounts.every((c) => c > 0) };
}
