import { readFileSync } from 'node:fs';
import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { lenet5, mnistConvnet } from './lenet.js';

describe('lenet5', () => {
  it('resolves to 61,706 parameters, the same spec as examples/lenet5.json', () => {
    const model = resolveSpec(lenet5());
    // LeNet-5 with C1 padded 'same' on 28x28: 156 + 2,416 + 48,120 + 10,164 + 850 (the count of
    // the usual Keras LeNet-5 for MNIST and of examples/lenet5.json)
    expect(model.totalParams).toBe(61_706);
    expect(model.outputs[0]?.shape).toEqual([10]);
    const example = JSON.parse(
      readFileSync(new URL('../../../examples/lenet5.json', import.meta.url), 'utf8'),
    );
    const { $schema: _ignored, ...rest } = example;
    expect(lenet5()).toEqual(rest);
  });
});

describe('mnistConvnet', () => {
  it('resolves to 34,826 parameters', () => {
    const model = resolveSpec(mnistConvnet());
    // keras.io/examples/vision/mnist_convnet, model.summary(): Total params: 34,826
    // (320 + 18,496 + 16,010)
    expect(model.totalParams).toBe(34_826);
    expect(model.outputs[0]?.shape).toEqual([10]);
  });
});
