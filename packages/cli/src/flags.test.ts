import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  finiteNumber,
  fractionBelowOne,
  metricThreshold,
  nameList,
  nonNegativeInteger,
  threadCount,
} from './flags.js';

describe('flag parsers', () => {
  it('accept what they should', () => {
    expect(nonNegativeInteger('0')).toBe(0);
    expect(fractionBelowOne('0.1')).toBe(0.1);
    expect(finiteNumber('-2.5')).toBe(-2.5);
    expect(metricThreshold('mae=0.2', { accuracy: 0.9 })).toEqual({ accuracy: 0.9, mae: 0.2 });
    expect(nameList(['a', 'b'])('b, a')).toEqual(['b', 'a']);
    expect(threadCount('2')).toBe(2);
    expect(threadCount('auto')).toBe('auto');
  });

  it.each([
    [() => nonNegativeInteger('-1'), /non-negative integer, got "-1"/],
    [() => nonNegativeInteger('1.5'), /got "1.5"/],
    [() => fractionBelowOne('1'), /\[0, 1\), got "1"/],
    [() => fractionBelowOne(''), /got ""/],
    [() => finiteNumber('Infinity'), /expected a number/],
    [() => metricThreshold('accuracy>0.9'), /metric=value/],
    [() => nameList(['a', 'b'])('a,c'), /of a, b, got "c"/],
    [() => nameList(['a'])(','), /list of a/],
    [() => threadCount('0'), /from 1 to 256 or "auto", got "0"/],
    [() => threadCount('1000'), /got "1000"/],
    [() => threadCount('two'), /got "two"/],
  ])('rejects bad values (%#)', (f, message) => {
    expect(f).toThrow(InvalidArgumentError);
    expect(f).toThrow(message);
  });
});
