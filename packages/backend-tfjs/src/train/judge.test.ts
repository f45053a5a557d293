import { describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.js';
import { tf } from '../tf.js';
import { judgeSamples } from './judge.js';

// A "classifier" that is just a softmax over its three inputs, so its verdict can be worked out
// by hand from the logits fed to it.
const softmaxOnly = () =>
  buildModel({
    specVersion: 1,
    name: 'softmax_only',
    inputs: [{ id: 'x', shape: [3] }],
    layers: [{ id: 'p', type: 'activation', activation: 'softmax', inputs: ['x'] }],
    outputs: ['p'],
  });

describe('judgeSamples', () => {
  it('counts the classes picked and averages the top probability', () => {
    const model = softmaxOnly();
    const samples = tf.tensor2d([
      [2, 0, 0],
      [0, 2, 0],
      [0, 0, 0],
      [0, 1, 0],
    ]);
    const verdict = judgeSamples(model, samples);
    const top2 = Math.exp(2) / (Math.exp(2) + 2);
    const top1 = Math.E / (Math.E + 2);
    expect(verdict.meanTopConfidence).toBeCloseTo((2 * top2 + 1 / 3 + top1) / 4, 6);
    // The all-zero row is a tie, which argmax gives to the first class.
    expect(verdict.classCounts).toEqual([2, 2, 0]);
    expect(verdict.allClassesPresent).toBe(false);
    tf.dispose(samples);
    model.dispose();
  });

  it('says when every class appears', () => {
    const model = softmaxOnly();
    const samples = tf.eye(3);
    expect(judgeSamples(model, samples)).toMatchObject({
      classCounts: [1, 1, 1],
      allClassesPresent: true,
    });
    tf.dispose(samples);
    model.dispose();
  });
});
