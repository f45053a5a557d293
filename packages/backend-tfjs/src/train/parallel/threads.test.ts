import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_THREADS,
  MIN_SHARD,
  resolveThreads,
  shardRanges,
  ThreadsError,
} from './threads.js';

describe('resolveThreads', () => {
  const saved = process.env.NETSPEC_THREADS;
  afterEach(() => {
    if (saved === undefined) delete process.env.NETSPEC_THREADS;
    else process.env.NETSPEC_THREADS = saved;
  });

  it('takes the request, else NETSPEC_THREADS, else the cores (capped)', () => {
    process.env.NETSPEC_THREADS = '3';
    expect(resolveThreads(5)).toBe(5);
    expect(resolveThreads()).toBe(3);
    delete process.env.NETSPEC_THREADS;
    const auto = Math.min(availableParallelism(), DEFAULT_MAX_THREADS);
    expect(resolveThreads()).toBe(auto);
    expect(resolveThreads('auto')).toBe(auto);
  });

  it('rejects counts that are not whole numbers from 1, naming where they came from', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 1000])
      expect(() => resolveThreads(bad)).toThrow(ThreadsError);
    process.env.NETSPEC_THREADS = 'two';
    expect(() => resolveThreads()).toThrow(/NETSPEC_THREADS: expected a whole number .* got "two"/);
  });
});

describe('shardRanges', () => {
  it('splits into contiguous shards differing by at most one sample, larger first', () => {
    expect(shardRanges(64, 2)).toEqual([
      [0, 32],
      [32, 64],
    ]);
    expect(shardRanges(13, 3)).toEqual([
      [0, 5],
      [5, 9],
      [9, 13],
    ]);
  });

  it(`uses fewer threads when shards would hold fewer than ${MIN_SHARD} samples`, () => {
    expect(shardRanges(7, 2)).toEqual([[0, 7]]);
    expect(shardRanges(8, 4)).toHaveLength(2);
    expect(shardRanges(1, 8)).toEqual([[0, 1]]);
  });
});
