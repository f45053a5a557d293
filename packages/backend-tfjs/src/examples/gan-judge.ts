// Judges a GAN checkpoint: node dist/examples/gan-judge.js <gan run dir> <classifier run dir>
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildModel } from '../model/build.js';
import { GanStep } from '../recipes/gan.js';
import { tf } from '../tf.js';
import { judgeWithRun } from './judge.js';

const [ganDir = 'runs/gan-mnist', judgeDir = 'runs/lenet-mnist'] = process.argv.slice(2);
const spec = JSON.parse(await readFile(join(ganDir, 'spec.json'), 'utf8'));
const model = buildModel(spec, {
  weights: new Uint8Array(await readFile(join(ganDir, 'weights.safetensors'))),
});
const step = new GanStep(model, spec.training, spec.training.recipe);
const samples = step.generate(
  tf.randomNormal([1000, spec.inputs[0].shape[0]], 0, 1, 'float32', 11),
);
process.stdout.write(`${JSON.stringify(await judgeWithRun(judgeDir, samples))}\n`);
