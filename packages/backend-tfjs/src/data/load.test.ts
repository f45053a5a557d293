import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataArray } from './dataset.js';
import { DataError } from './errors.js';
import { BUILTIN_SOURCES, loadData } from './load.js';
import { writeNpyFile } from './npy.js';

describe('loadData with built-in names', () => {
  it('lists the built-in sources', () => {
    expect(BUILTIN_SOURCES).toEqual([
      'mnist',
      'mnist:test',
      'fashion-mnist',
      'fashion-mnist:test',
      'moby-dick',
      'moby-dick:validation',
    ]);
  });

  it('loads MNIST splits with options', () => {
    const test = loadData('mnist:test', { limit: 2 });
    expect(test).toMatchObject({ name: 'mnist:test', size: 2 });
    expect(Array.from(test.y.label?.data ?? [])).toEqual([7, 2]);
    expect(Array.from(loadData('mnist:train', { limit: 1 }).y.label?.data ?? [])).toEqual([5]);
    expect(loadData('mnist', { limit: 1, binarize: true }).name).toBe('mnist');
  });

  it('loads Moby Dick windows, which need a context length', () => {
    const train = loadData('moby-dick', { contextLength: 32, stride: 16 });
    const validation = loadData('moby-dick:validation', { contextLength: 32 });
    expect(train.x.tokens?.shape[1]).toBe(32);
    expect(validation.name).toBe('moby-dick:validation');
    expect(train.size).toBeGreaterThan(validation.size * 9 * 2 - 10);
    expect(loadData('moby-dick', { contextLength: 8, limit: 5 }).size).toBe(5);
    expect(() => loadData('moby-dick')).toThrow(
      'data source "moby-dick": expected option contextLength (tokens per window), got none',
    );
  });

  it('suggests the name or split that was probably meant', () => {
    expect(() => loadData('mnsit')).toThrow(
      'data source "mnsit": expected a built-in data set (mnist, mnist:test, fashion-mnist, fashion-mnist:test, moby-dick, moby-dick:validation) or a path, got neither (did you mean "mnist"?)',
    );
    expect(() => loadData('fashion_mnist:test')).toThrow('(did you mean "fashion-mnist:test"?)');
    expect(() => loadData('cifar10')).toThrow(/got neither$/);
    expect(() => loadData('constructor')).toThrow('data source "constructor": expected a built-in');
    expect(() => loadData('mnist:tset')).toThrow(
      'data source "mnist:tset": expected a split of train, test, got "tset" (did you mean "mnist:test"?)',
    );
    expect(() => loadData('mnist:test:x')).toThrow('got "test:x"');
  });
});

describe('loadData with paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const x = dataArray(
    Float32Array.from({ length: 12 }, (_, i) => i),
    [4, 3],
  );
  const y = dataArray(Int32Array.of(0, 1, 1, 0), [4]);

  it('reads a directory with x.npy and y.npy, or x.npy alone', () => {
    const both = join(dir, 'both');
    mkdirSync(both);
    writeNpyFile(join(both, 'x.npy'), x);
    writeNpyFile(join(both, 'y.npy'), y);
    const d = loadData(both);
    expect(d).toMatchObject({ name: 'both', size: 4 });
    expect(d.x.x).toEqual(x);
    expect(d.y.y).toEqual(y);
    const only = join(dir, 'only');
    mkdirSync(only);
    writeNpyFile(join(only, 'x.npy'), x);
    expect(loadData(only).y).toEqual({});
  });

  it('rejects a directory without x.npy, or with sample counts that differ', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    writeFileSync(join(empty, 'notes.txt'), 'hi');
    expect(() => loadData(empty)).toThrow(
      `${empty}: expected x.npy (and optionally y.npy) in the directory, got notes.txt`,
    );
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    writeNpyFile(join(bad, 'x.npy'), x);
    writeNpyFile(join(bad, 'y.npy'), dataArray(Int32Array.of(0, 1, 1), [3]));
    expect(() => loadData(bad)).toThrow(
      `${bad}: data set "bad", y.y: expected 4 samples (as x.x has), got 3`,
    );
  });

  it('reads .npy, .csv, .tsv and .json files', () => {
    const npy = join(dir, 'x.npy');
    writeNpyFile(npy, x);
    expect(loadData(npy).x.x?.shape).toEqual([4, 3]);
    const csv = join(dir, 'd.csv');
    writeFileSync(csv, 'a,b,y\n1,2,0\n3,4,1\n');
    expect(loadData(csv).x.features?.shape).toEqual([2, 2]);
    expect(loadData(csv, { label: 'a' }).y.label?.data).toEqual(Int32Array.of(1, 3));
    const tsv = join(dir, 'd.tsv');
    writeFileSync(tsv, 'a\tb\n1\t2\n');
    expect(loadData(tsv).y.label?.data).toEqual(Int32Array.of(2));
    const json = join(dir, 'd.json');
    writeFileSync(json, '{"x": [[1], [2]], "y": [0.5, 1.5]}');
    expect(loadData(json).y.y?.dtype).toBe('float32');
    expect(loadData(json, { yDtype: 'float32' }).size).toBe(2);
  });

  it('rejects missing paths, unknown extensions and scalar arrays', () => {
    expect(() => loadData('./no/such/dir')).toThrow(
      './no/such/dir: expected a data file or directory, got nothing there (no such path)',
    );
    expect(() => loadData('missing.csv')).toThrow('missing.csv: expected a data file or directory');
    const txt = join(dir, 'd.txt');
    writeFileSync(txt, '1 2 3');
    expect(() => loadData(txt)).toThrow(
      `${txt}: expected a directory or a .csv, .tsv, .json or .npy file, got ".txt"`,
    );
    const scalar = join(dir, 'scalar.npy');
    writeFileSync(
      scalar,
      Buffer.from(
        'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA',
        'base64',
      ),
    );
    expect(() => loadData(scalar)).toThrow(DataError);
    expect(() => loadData(scalar)).toThrow(
      `${scalar}: expected an array with a sample axis, got a scalar`,
    );
  });
});
