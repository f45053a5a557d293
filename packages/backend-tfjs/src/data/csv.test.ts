import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CsvOptions, readCsv, readCsvFile } from './csv.js';
import { DataError } from './errors.js';

const csv = (text: string, options?: CsvOptions) => readCsv(text, 'd.csv', options);
const features = (d: ReturnType<typeof csv>) => Array.from(d.x.features?.data ?? []);
const labels = (d: ReturnType<typeof csv>) => Array.from(d.y.label?.data ?? []);

const IRIS = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`;

describe('readCsv', () => {
  it('reads a header, features and an integer label (last column by default)', () => {
    const d = csv('a,b,label\n1,2,0\n3.5,-4e2,1\n');
    expect(d.name).toBe('d.csv');
    expect(d.size).toBe(2);
    expect(d.x.features).toMatchObject({ dtype: 'float32', shape: [2, 2] });
    expect(features(d)).toEqual([1, 2, 3.5, -400]);
    expect(d.y.label).toMatchObject({ dtype: 'int32', shape: [2] });
    expect(labels(d)).toEqual([0, 1]);
  });

  it('detects a missing header, and takes float labels as float32', () => {
    const d = csv('1,2,0.5\n3,4,1.5\n');
    expect(d.size).toBe(2);
    expect(d.y.label?.dtype).toBe('float32');
    expect(labels(d)).toEqual([0.5, 1.5]);
    expect(csv('1,2,3\n', { labelDtype: 'float32' }).y.label?.dtype).toBe('float32');
  });

  it('chooses the label column by name, index or negative index, or none', () => {
    const text = 'x,y,z\n1,2,3\n4,5,6\n';
    expect(labels(csv(text, { label: 'x' }))).toEqual([1, 4]);
    expect(features(csv(text, { label: 'x' }))).toEqual([2, 3, 5, 6]);
    expect(labels(csv(text, { label: 1 }))).toEqual([2, 5]);
    expect(labels(csv(text, { label: -3 }))).toEqual([1, 4]);
    const none = csv(text, { label: null });
    expect(none.y).toEqual({});
    expect(none.x.features?.shape).toEqual([2, 3]);
    expect(csv('1,2\n3,4\n', { header: false, label: null }).size).toBe(2);
  });

  it('turns class names into sorted class ids', () => {
    const d = csv(IRIS);
    expect(d.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(labels(d)).toEqual([0, 1, 2, 0]);
    expect(features(d)).toEqual([5.1, 3.5, 7, 3.2, 6.3, 3.3, 4.9, 3].map(Math.fround));
  });

  it('accepts quotes, spaces, CRLF, a BOM and blank lines', () => {
    const d = csv('\uFEFF"a", b ,c\r\n"1", 2 ,3\r\n\r\n4,5,6\r\n');
    expect(features(d)).toEqual([1, 2, 4, 5]);
    expect(labels(d)).toEqual([3, 6]);
    expect(features(csv('a;b\n1;2\n', { delimiter: ';' }))).toEqual([1]);
  });
});

describe('readCsv errors', () => {
  const cases: [string, string, CsvOptions | undefined, string][] = [
    ['an empty file', '', undefined, 'd.csv: expected a header or data row, got an empty file'],
    [
      'only a header',
      'a,b\n',
      undefined,
      'd.csv line 1: expected at least one data row, got only a header',
    ],
    [
      'a short row',
      'a,b,c\n1,2,3\n4,5\n',
      undefined,
      'd.csv line 3: expected 3 fields (as line 1 has), got 2',
    ],
    [
      'a long row after a blank line',
      'a,b\n1,2\n\n3,4,5\n',
      undefined,
      'd.csv line 4: expected 2 fields (as line 1 has), got 3',
    ],
    [
      'a word among numbers',
      'a,b,c\n1,2,3\n4,five,6\n',
      undefined,
      'd.csv line 3, column 2: expected a number ("b"), got "five"',
    ],
    [
      'an empty field',
      'a,b,c\n1,,3\n',
      undefined,
      'd.csv line 2, column 2: expected a number ("b"), got an empty field',
    ],
    ['NaN', '1,NaN,3\n', undefined, 'd.csv line 1, column 2: expected a number, got "NaN"'],
    ['hex', '1,0x10,3\n', undefined, 'line 1, column 2: expected a number, got "0x10"'],
    [
      'a class name among numeric labels',
      'a,y\n1,0\n2,cat\n',
      undefined,
      'd.csv line 3, column 2: expected a number ("y"), got "cat"',
    ],
    [
      'a number among class names',
      'a,y\n1,cat\n2,7\n',
      undefined,
      'line 3, column 2: expected a class name (not a number) ("y"), as the first data row has, got "7"',
    ],
    [
      'a fraction as an int32 label',
      '1,2.5\n',
      { labelDtype: 'int32' },
      'd.csv line 1, column 2: expected an int32 label, got 2.5',
    ],
    [
      'an unknown label name',
      'alpha,beta\n1,2\n',
      { label: 'betta' },
      'd.csv line 1: unknown label column "betta"; expected one of alpha, beta (did you mean "beta"?)',
    ],
    [
      'a label name without a header',
      '1,2\n',
      { label: 'y' },
      'd.csv line 1: expected a header row to find label column "y", got none',
    ],
    [
      'a label index out of range',
      '1,2\n',
      { label: 2 },
      'd.csv: expected a label column index in [-2, 1], got 2',
    ],
    ['one column', '1\n2\n', undefined, 'expected a label column and features, got 1 column'],
    [
      'an unclosed quote',
      'a,b\n1,"2\n3,4\n',
      undefined,
      'd.csv line 3: expected valid CSV, got a quote that is never closed',
    ],
    [
      'a stray quote',
      'a,b\n1,2"x"\n',
      undefined,
      'd.csv line 2: expected valid CSV, got a quote inside an unquoted field',
    ],
  ];
  for (const [name, text, options, message] of cases) {
    it(name, () => {
      expect(() => csv(text, options)).toThrow(DataError);
      expect(() => csv(text, options)).toThrow(message);
    });
  }
});

describe('readCsvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file and names it in errors', () => {
    const file = join(dir, 'iris.csv');
    writeFileSync(file, IRIS);
    expect(readCsvFile(file).name).toBe('iris.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');
    expect(() => readCsvFile(file)).toThrow(
      `${file} line 3: expected 2 fields (as line 1 has), got 1`,
    );
    writeFileSync(file, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0xff, 0x0a]));
    expect(() => readCsvFile(file)).toThrow(
      `${file} at byte 6: expected UTF-8 text, got invalid UTF-8`,
    );
  });
});
