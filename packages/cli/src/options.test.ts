import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { limitsOf, positiveInteger } from './options.js';

describe('positiveInteger', () => {
  it('accepts positive integers', () => {
    expect(positiveInteger('1000')).toBe(1000);
  });
  it.each(['0', '-3', '1.5', 'x', '', '1e3', '99999999999999999999'])('rejects %j', (v) => {
    expect(() => positiveInteger(v)).toThrow(InvalidArgumentError);
  });
});

describe('limitsOf', () => {
  it('passes only the limits given', () => {
    expect(limitsOf({})).toEqual({});
    expect(limitsOf({ maxParams: 5 })).toEqual({ maxParams: 5 });
  });
});
