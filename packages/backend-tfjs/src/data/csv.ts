import { basename } from 'node:path';
import { didYouMean } from '@netspec/spec';
import { CsvError, parse } from 'csv-parse/sync';
import { type DataDtype, type Dataset, dataArray, makeDataset } from './dataset.js';
import { DataError } from './errors.js';
import { readText } from './files.js';

// Numeric CSV: one sample per row, every row the same width, every feature a finite number.
// Features become x.features float32 [N, F]; the label column becomes y.label [N].

export interface CsvOptions {
  /** Whether the first row names the columns; default: it does when none of its fields is a number. */
  header?: boolean;
  /**
   * The label column: a header name, or a 0-based index (negative counts from the end); default
   * the last column; null for no label (unsupervised data).
   */
  label?: string | number | null;
  /**
   * Label dtype; default int32 when every label is an integer, else float32. Labels that are not
   * numbers (the first data row decides) are class names: sorted, numbered from 0, kept as `labels`.
   */
  labelDtype?: DataDtype;
  delimiter?: string;
  /** Largest file to read (default 1 GiB). */
  maxBytes?: number;
}

interface Row {
  fields: string[];
  line: number;
}

/** csv-parse error codes in words; its own messages repeat the line number. */
const CSV_PROBLEMS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quote that is never closed',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
};
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const isNumber = (s: string) => NUMBER.test(s);

/** Reads a CSV file into a Dataset named after the file. */
export function readCsvFile(file: string, options: CsvOptions = {}): Dataset {
  return readCsv(readText(file, options.maxBytes ?? 1024 ** 3), file, options);
}

/** Parses CSV text; `file` names it in errors. */
export function readCsv(text: string, file: string, options: CsvOptions = {}): Dataset {
  const rows = parseRows(text, file, options.delimiter ?? ',');
  const first = rows[0];
  if (first === undefined)
    throw new DataError('expected a header or data row, got an empty file', { file });
  checkWidths(rows, file);
  const hasHeader = options.header ?? !first.fields.some(isNumber);
  const names = hasHeader ? first.fields : undefined;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) {
    throw new DataError('expected at least one data row, got only a header', {
      file,
      line: first.line,
    });
  }
  const width = first.fields.length;
  const label = labelColumn(options.label, names, width, file);
  const features = readFeatures(data, label, width, names, file);
  const name = basename(file);
  if (label === undefined) return makeDataset(name, { features });
  const { y, labels } = readLabels(data, label, names, file, options.labelDtype);
  return makeDataset(name, { features }, { label: y }, labels);
}

function parseRows(text: string, file: string, delimiter: string): Row[] {
  try {
    const records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      delimiter,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines;
    const why = CSV_PROBLEMS[e.code] ?? e.message.replace(/:.*$/s, '');
    throw new DataError(
      `expected valid CSV, got ${why}`,
      line === undefined ? { file } : { file, line },
    );
  }
}

function checkWidths(rows: Row[], file: string): void {
  const first = rows[0] as Row;
  for (const row of rows) {
    if (row.fields.length !== first.fields.length) {
      const what = `expected ${first.fields.length} fields (as line ${first.line} has), got ${row.fields.length}`;
      throw new DataError(what, { file, line: row.line });
    }
  }
}

/** The 0-based label column, or undefined for none. */
function labelColumn(
  label: string | number | null | undefined,
  names: string[] | undefined,
  width: number,
  file: string,
): number | undefined {
  if (label === null) return undefined;
  if (label === undefined) {
    if (width < 2)
      throw new DataError(`expected a label column and features, got ${width} column`, {
        file,
        line: 1,
      });
    return width - 1;
  }
  if (typeof label === 'number') {
    const i = label < 0 ? width + label : label;
    if (!Number.isInteger(label) || i < 0 || i >= width) {
      throw new DataError(
        `expected a label column index in [${-width}, ${width - 1}], got ${label}`,
        { file },
      );
    }
    return i;
  }
  if (names === undefined) {
    throw new DataError(`expected a header row to find label column "${label}", got none`, {
      file,
      line: 1,
    });
  }
  const i = names.indexOf(label);
  if (i < 0) {
    const near = didYouMean(label, names);
    const hint = near ? ` (did you mean "${near}"?)` : '';
    const what = `unknown label column "${label}"; expected one of ${names.join(', ')}${hint}`;
    throw new DataError(what, { file, line: 1 });
  }
  return i;
}

const columnName = (names: string[] | undefined, j: number) =>
  names === undefined ? '' : ` (${JSON.stringify(names[j])})`;

function readFeatures(
  rows: Row[],
  label: number | undefined,
  width: number,
  names: string[] | undefined,
  file: string,
) {
  const columns = [...Array(width).keys()].filter((j) => j !== label);
  const x = new Float32Array(rows.length * columns.length);
  rows.forEach((row, i) => {
    columns.forEach((j, k) => {
      const s = row.fields[j] as string;
      if (!isNumber(s)) {
        const what = `expected a number${columnName(names, j)}, got ${s === '' ? 'an empty field' : JSON.stringify(s)}`;
        throw new DataError(what, { file, line: row.line, column: j + 1 });
      }
      x[i * columns.length + k] = Number(s);
    });
  });
  return dataArray(x, [rows.length, columns.length]);
}

function readLabels(
  rows: Row[],
  j: number,
  names: string[] | undefined,
  file: string,
  dtype: DataDtype | undefined,
) {
  const values = rows.map((r) => r.fields[j] as string);
  const numeric = dtype !== undefined || isNumber(values[0] as string);
  const odd = values.findIndex((v) => isNumber(v) !== numeric);
  if (odd >= 0) {
    const kind = numeric ? 'a number' : 'a class name (not a number)';
    const first = numeric ? '' : ', as the first data row has';
    const what = `expected ${kind}${columnName(names, j)}${first}, got ${JSON.stringify(values[odd])}`;
    throw new DataError(what, { file, line: rows[odd]?.line ?? 1, column: j + 1 });
  }
  if (!numeric) return classIds(values);
  const numbers = values.map(Number);
  const integral = numbers.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31);
  if (dtype === 'int32' && !integral) {
    const bad = numbers.findIndex((v) => !Number.isInteger(v) || Math.abs(v) >= 2 ** 31);
    const what = `expected an int32 label${columnName(names, j)}, got ${values[bad]}`;
    throw new DataError(what, { file, line: rows[bad]?.line ?? 1, column: j + 1 });
  }
  const asInt = dtype === 'int32' || (dtype === undefined && integral);
  const y = asInt ? Int32Array.from(numbers) : Float32Array.from(numbers);
  return { y: dataArray(y, [rows.length]), labels: undefined };
}

/** Class names to ids 0..k-1 in sorted (code point) order. */
function classIds(values: string[]) {
  const labels = [...new Set(values)].sort();
  const id = new Map(labels.map((l, i) => [l, i]));
  const y = Int32Array.from(values, (v) => id.get(v) ?? 0);
  return { y: dataArray(y, [values.length]), labels };
}
