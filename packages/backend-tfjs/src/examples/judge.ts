import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModel } from '../model/build.js';
import type { tf } from '../tf.js';
import { judgeSamples, type Verdict } from '../train/judge.js';

/** Judges generated digits with the classifier saved in a run directory. */
export async function judgeWithRun(runDir: string, samples: tf.Tensor): Promise<Verdict> {
  const spec = JSON.parse(await readFile(join(runDir, 'spec.json'), 'utf8'));
  const weights = new Uint8Array(await readFile(join(runDir, 'weights.safetensors')));
  const judge = buildModel(spec, { weights });
  try {
    return judgeSamples(judge, samples);
  } finally {
    judge.dispose();
  }
}
