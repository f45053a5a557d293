import { useEngine } from '@netspec/backend-tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { autoencoderMnist } from './autoencoder-mnist.js';
import { bertSpam } from './bert-spam.js';
import { bertTinySpam } from './bert-tiny-spam.js';
import type { ExampleOptions, ExampleResult } from './common.js';
import { convnetMnist } from './convnet-mnist.js';
import { dcganMnist } from './dcgan-mnist.js';
import { denoisingMnist } from './denoising-mnist.js';
import { gptBpeMobyDick } from './gpt-bpe-moby-dick.js';
import { gptMobyDick } from './gpt-moby-dick.js';
import { lenet5Mnist } from './lenet5-mnist.js';
import { lstmSpam } from './lstm-spam.js';
import { mlpMnist } from './mlp-mnist.js';
import { resnet20Fashion } from './resnet20-fashion.js';
import { vaeMnist } from './vae-mnist.js';
import { vitFashion } from './vit-fashion.js';

// Every example's CI-sized run (--quick: a few hundred real samples, a few steps) on wasm. The
// first training batch's loss is compared with the last epoch's mean training loss (the GAN's
// are its discriminator's): a working model and optimizer cut it by well over the 10% asked here
// within ~10-30 Adam steps; a broken gradient, loss or data pipeline leaves it where it started.
const EXAMPLES: [string, (o: ExampleOptions) => Promise<ExampleResult>][] = [
  ['gpt-moby-dick', gptMobyDick],
  ['gpt-bpe-moby-dick', gptBpeMobyDick],
  ['bert-spam', bertSpam],
  ['bert-tiny-spam', bertTinySpam],
  ['lstm-spam', lstmSpam],
  ['lenet5-mnist', lenet5Mnist],
  ['mlp-mnist', mlpMnist],
  ['convnet-mnist', convnetMnist],
  ['autoencoder-mnist', autoencoderMnist],
  ['denoising-mnist', denoisingMnist],
  ['dcgan-mnist', dcganMnist],
  ['vae-mnist', vaeMnist],
  ['resnet20-fashion', resnet20Fashion],
  ['vit-fashion', vitFashion],
];

describe('examples, CI-sized', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });

  it.each(EXAMPLES)(
    '%s: the loss falls',
    async (_name, run) => {
      const result = await run({ quick: true, verbose: false });
      expect(result.stoppedByTimeBudget).toBe(false);
      expect(Number.isFinite(result.initialLoss)).toBe(true);
      expect(result.finalLoss).toBeLessThan(0.9 * result.initialLoss);
    },
    180_000,
  );
});
