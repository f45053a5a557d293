import { describe, expect, it } from 'vitest';
import { feedProblem } from './runner.js';

const f32 = (n: number, shape: number[]) => ({ data: new Float32Array(n), shape });

describe('feedProblem', () => {
  it('accepts exactly the named inputs with as many values as their shapes hold', () => {
    expect(feedProblem(['a', 'b'], { b: f32(6, [2, 3]), a: f32(1, [1]) })).toBeUndefined();
  });
  it('names the missing and unexpected inputs', () => {
    expect(feedProblem(['a', 'b'], { a: f32(1, [1]), c: f32(1, [1]) })).toBe(
      'inputs: expected a, b; missing [b], unexpected [c]',
    );
  });
  it('names an input whose values do not fill its shape', () => {
    expect(feedProblem(['x'], { x: f32(5, [2, 3]) })).toBe('input "x": 5 values for shape [2, 3]');
  });
});
