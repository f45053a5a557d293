import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { type JsonDataOptions, parseJson, readJsonData, readJsonFile } from './json.js';

const read = (doc: unknown, options?: JsonDataOptions) => readJsonData(doc, 'd.json', options);

describe('readJsonData, columns form', () => {
  it('reads x and y with shapes from the nesting; integer class ids as int32', () => {
    const d = read({ x: [[[1, 2]], [[3, 4]], [[5, 6]]], y: [0, 2, 1], labels: ['a', 'b', 'c'] });
    expect(d).toMatchObject({ name: 'd.json', size: 3, labels: ['a', 'b', 'c'] });
    expect(d.x.x).toMatchObject({ dtype: 'float32', shape: [3, 1, 2] });
    expect(Array.from(d.x.x?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(d.y.y).toMatchObject({ dtype: 'int32', shape: [3], data: Int32Array.of(0, 2, 1) });
  });

  it('keeps one-hot and fractional targets float32, unless told', () => {
    expect(
      read({
        x: [1, 2],
        y: [
          [0, 1],
          [1, 0],
        ],
      }).y.y?.dtype,
    ).toBe('float32');
    expect(read({ x: [1, 2], y: [0.5, 1] }).y.y?.dtype).toBe('float32');
    expect(read({ x: [1, 2], y: [0, 1] }, { yDtype: 'float32' }).y.y?.dtype).toBe('float32');
    expect(
      read(
        {
          x: [1, 2],
          y: [
            [0, 1],
            [1, 0],
          ],
        },
        { yDtype: 'int32' },
      ).y.y?.dtype,
    ).toBe('int32');
    expect(read({ x: [[1], [2]] }).y).toEqual({});
  });

  it('reads objects of named arrays', () => {
    const d = read({
      x: {
        image: [
          [1, 2],
          [3, 4],
        ],
        meta: [7, 8],
      },
      y: { cls: [1, 0] },
    });
    expect(Object.keys(d.x)).toEqual(['image', 'meta']);
    expect(d.x.image?.shape).toEqual([2, 2]);
    expect(d.x.meta?.dtype).toBe('float32');
    expect(Array.from(d.y.cls?.data ?? [])).toEqual([1, 0]);
    const proto = read(JSON.parse('{"x": {"__proto__": [1, 2]}}'));
    expect(Object.keys(proto.x)).toEqual(['__proto__']);
    expect(proto.size).toBe(2);
  });
});

describe('readJsonData, records form', () => {
  it('stacks each record into samples', () => {
    const d = read([
      { x: [1, 2], y: 3 },
      { x: [4, 5], y: 6 },
    ]);
    expect(d.x.x?.shape).toEqual([2, 2]);
    expect(Array.from(d.x.x?.data ?? [])).toEqual([1, 2, 4, 5]);
    expect(d.y.y).toMatchObject({ dtype: 'int32', shape: [2] });
    expect(read([{ x: 1 }, { x: 2 }]).x.x?.shape).toEqual([2]);
  });
});

describe('readJsonData errors name the JSON pointer', () => {
  const cases: [string, unknown, JsonDataOptions | undefined, string][] = [
    [
      'a ragged row',
      {
        x: [
          [1, 2],
          [3, 4],
          [5, 6],
          [7, [8]],
        ],
      },
      undefined,
      'd.json /x/3/1: expected a finite number, got an array of 1',
    ],
    [
      'a short row',
      { x: [[1, 2], [3]] },
      undefined,
      'd.json /x/1: expected an array of 2, got an array of 1',
    ],
    [
      'a number where a row belongs',
      { x: [[1, 2], 3] },
      undefined,
      'd.json /x/1: expected an array of 2, got 3',
    ],
    [
      'a string',
      { x: [[1, 2]], y: ['a'] },
      undefined,
      'd.json /y/0: expected a finite number, got "a"',
    ],
    ['null', { x: [[1, null]] }, undefined, 'd.json /x/0/1: expected a finite number, got null'],
    [
      'no samples',
      { x: [] },
      undefined,
      'd.json /x: expected at least one sample, got an empty array',
    ],
    ['no x', { y: [1] }, undefined, 'd.json /: expected a key "x", got none'],
    [
      'an unknown key',
      { x: [1], lables: [] },
      undefined,
      'd.json /: unknown key "lables"; expected one of x, y, labels (did you mean "labels"?)',
    ],
    [
      'sample counts that differ',
      { x: [1, 2, 3], y: [0, 1] },
      undefined,
      'd.json /: data set "d.json", y.y: expected 3 samples (as x.x has), got 2',
    ],
    [
      'a scalar document',
      7,
      undefined,
      'd.json /: expected an object {"x": ..., "y": ...} or an array of records, got 7',
    ],
    [
      'x not an array',
      { x: 'abc' },
      undefined,
      'd.json /x: expected an array of samples or an object of named arrays, got "abc"',
    ],
    [
      'a named array not an array',
      { x: { a: 1 } },
      undefined,
      'd.json /x/a: expected an array of samples, got 1',
    ],
    [
      'labels not strings',
      { x: [1], labels: [1] },
      undefined,
      'd.json /labels: expected an array of class names (strings), got an array of 1',
    ],
    [
      'a fractional int32 target',
      {
        x: [[1], [2]],
        y: [
          [0, 1],
          [2.5, 0],
        ],
      },
      { yDtype: 'int32' },
      'd.json /y/1/0: expected an int32 integer, got 2.5',
    ],
    [
      'an empty records array',
      [],
      undefined,
      'd.json /: expected at least one record, got an empty array',
    ],
    [
      'a record that is not an object',
      [{ x: 1 }, 2],
      undefined,
      'd.json /1: expected a record {"x": ..., "y": ...}, got 2',
    ],
    [
      'a record missing y',
      [{ x: 1, y: 0 }, { x: 2 }],
      undefined,
      'd.json /1: expected a key "y" (as record 0 has), got none',
    ],
    [
      'a record with another key',
      [{ x: 1 }, { x: 2, z: 0 }],
      undefined,
      'd.json /1: unknown key "z"; expected one of x',
    ],
    [
      'a ragged record',
      [{ x: [1, 2] }, { x: [1, 2] }, { x: [1, 'b'] }],
      undefined,
      'd.json /2/x/1: expected a finite number, got "b"',
    ],
  ];
  for (const [name, doc, options, message] of cases) {
    it(name, () => {
      expect(() => read(doc, options)).toThrow(DataError);
      expect(() => read(doc, options)).toThrow(message);
    });
  }
});

describe('parseJson and readJsonFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-json-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the line and column of a syntax error', () => {
    expect(() => parseJson('{"x": [1, 2,\n  3,, 4]}', 'd.json')).toThrow(
      'd.json line 2, column 5: expected valid JSON, got a syntax error (ValueExpected)',
    );
    expect(() => parseJson('{"x": [1, 2]', 'd.json')).toThrow(
      'd.json line 1, column 13: expected valid JSON',
    );
    expect(() => parseJson('{"x": tru}', 'd.json')).toThrow(
      'd.json line 1, column 7: expected valid JSON',
    );
  });

  it('reads a file and names it in errors', () => {
    const file = join(dir, 'data.json');
    writeFileSync(file, JSON.stringify({ x: [[0.5, 1]], y: [1] }));
    expect(readJsonFile(file)).toMatchObject({ name: 'data.json', size: 1 });
    writeFileSync(file, JSON.stringify({ x: [[0.5, 1], [2]] }));
    expect(() => readJsonFile(file)).toThrow(
      `${file} /x/1: expected an array of 2, got an array of 1`,
    );
  });
});
