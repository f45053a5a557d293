import { describe, expect, it } from 'vitest';
import { resolveSpec } from './resolve/validate.js';
import { readSafetensors, type TensorToWrite, writeSafetensors } from './safetensors.js';
import { weightMismatches } from './weights.js';

const model = resolveSpec({
  specVersion: 1,
  name: 'mlp',
  inputs: [{ id: 'x', shape: [3] }],
  layers: [
    { id: 'hidden', type: 'dense', units: 4 },
    { id: 'out', type: 'dense', units: 2, useBias: false },
  ],
});

const f32 = (...shape: number[]): TensorToWrite => ({
  dtype: 'F32',
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});
const check = (tensors: Record<string, TensorToWrite>) =>
  weightMismatches(model, readSafetensors(writeSafetensors(tensors)));

describe('weightMismatches', () => {
  const good = { 'hidden.kernel': f32(3, 4), 'hidden.bias': f32(4), 'out.kernel': f32(4, 2) };

  it('accepts a file with exactly the model parameters (names <layer path>.<param>)', () => {
    expect(check(good)).toEqual([]);
  });

  it('names missing, misshapen, unexpected and non-float weights', () => {
    const problems = check({
      'hidden.kernel': f32(4, 3),
      'hidden.bais': f32(4),
      'out.kernel': { dtype: 'I32', shape: [4, 2], data: new Int32Array(8) },
    });
    expect(problems).toEqual([
      'weight "hidden.kernel": expected shape [3, 4], got [4, 3]',
      'weight "hidden.bias" [4] is missing',
      'weight "out.kernel": expected a float dtype (F32, F16, BF16, F64), got I32',
      'weight "hidden.bais" is not a parameter of this model (did you mean "hidden.bias"?)',
    ]);
  });
});
