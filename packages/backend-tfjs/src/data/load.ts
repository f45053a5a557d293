import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { didYouMean } from '@netspec/spec';
import { type CsvOptions, readCsvFile } from './csv.js';
import { type DataArray, type Dataset, makeDataset, slice } from './dataset.js';
import { DataError } from './errors.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { type JsonDataOptions, readJsonFile } from './json.js';
import { type ImageOptions, limitSamples, loadMnist } from './mnist.js';
import { readNpyFile } from './npy.js';
import { loadMobyDick, textDatasets } from './text.js';

// One entry point for data: a built-in name ("mnist", "mnist:test", ...) or a path. Bare names
// are built-ins first; write ./mnist to load a directory that happens to be named like one.

export interface LoadOptions
  extends ImageOptions,
    Omit<CsvOptions, 'maxBytes'>,
    Omit<JsonDataOptions, 'maxBytes'> {
  /** Tokens per window for text data sets (required for them). */
  contextLength?: number;
  /** Distance between window starts for text data sets (default contextLength). */
  stride?: number;
  /** Text data sets: the last fraction of the text, by position, for validation (default 0.1). */
  validationFraction?: number;
  /** Text data sets: character tokens (default) or words and punctuation. */
  tokens?: 'chars' | 'words';
  /** Text data sets with word tokens: vocabulary size, <unk> included (default 10,000). */
  maxVocabulary?: number;
}

interface Builtin {
  splits: readonly string[];
  load: (split: string, options: LoadOptions) => Dataset;
}

const BUILTINS: Record<string, Builtin> = {
  mnist: {
    splits: ['train', 'test'],
    load: (split, o) =>
      loadMnist({ split: split as 'train' | 'test', limit: o.limit, binarize: o.binarize }),
  },
  'fashion-mnist': {
    splits: ['train', 'test'],
    load: (split, o) =>
      loadFashionMnist({ split: split as 'train' | 'test', limit: o.limit, binarize: o.binarize }),
  },
  'moby-dick': {
    splits: ['train', 'validation'],
    load: (split, o) => loadText('moby-dick', split, o),
  },
};

/** Every built-in source name: "name" (its first split) and "name:split". */
export const BUILTIN_SOURCES: string[] = Object.entries(BUILTINS).flatMap(([name, b]) => [
  name,
  ...b.splits.slice(1).map((s) => `${name}:${s}`),
]);

/** Loads a data set from a built-in name or a path (a directory with x.npy / y.npy, or a file). */
export function loadData(source: string, options: LoadOptions = {}): Dataset {
  const colon = source.indexOf(':');
  const name = colon < 0 ? source : source.slice(0, colon);
  const split = colon < 0 ? undefined : source.slice(colon + 1);
  const builtin = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
  if (builtin !== undefined && !/[\\/]/.test(source))
    return loadBuiltin(name, builtin, split, options);
  if (existsSync(source)) return loadPath(source, options);
  if (/[\\/.]/.test(source)) {
    throw new DataError('expected a data file or directory, got nothing there (no such path)', {
      file: source,
    });
  }
  const near = didYouMean(source, BUILTIN_SOURCES) ?? didYouMean(name, Object.keys(BUILTINS));
  const hint = near ? ` (did you mean "${near}"?)` : '';
  const what = `expected a built-in data set (${BUILTIN_SOURCES.join(', ')}) or a path`;
  throw new DataError(`data source "${source}": ${what}, got neither${hint}`);
}

function loadBuiltin(
  name: string,
  b: Builtin,
  split: string | undefined,
  options: LoadOptions,
): Dataset {
  const chosen = split ?? (b.splits[0] as string);
  if (!b.splits.includes(chosen)) {
    const near = didYouMean(chosen, b.splits);
    const hint = near ? ` (did you mean "${name}:${near}"?)` : '';
    throw new DataError(
      `data source "${name}:${chosen}": expected a split of ${b.splits.join(', ')}, got "${chosen}"${hint}`,
    );
  }
  return b.load(chosen, options);
}

function loadText(name: string, split: string, options: LoadOptions): Dataset {
  const { contextLength } = options;
  if (contextLength === undefined) {
    throw new DataError(
      `data source "${name}": expected option contextLength (tokens per window), got none`,
    );
  }
  const sets = textDatasets(loadMobyDick(), name, {
    contextLength,
    stride: options.stride,
    validationFraction: options.validationFraction,
    tokens: options.tokens,
    maxVocabulary: options.maxVocabulary,
  });
  const windows = split === 'validation' ? sets.validation : sets.train;
  return slice(windows, 0, limitSamples(windows.size, options.limit, name));
}

function loadPath(path: string, options: LoadOptions): Dataset {
  if (statSync(path).isDirectory()) return loadNpyDirectory(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.tsv') {
    return readCsvFile(path, {
      ...options,
      delimiter: options.delimiter ?? (ext === '.tsv' ? '\t' : ','),
    });
  }
  if (ext === '.json') return readJsonFile(path, options);
  if (ext === '.npy') return makeDataset(basename(path), { x: sampleArray(path) });
  throw new DataError(
    `expected a directory or a .csv, .tsv, .json or .npy file, got "${ext || 'no extension'}"`,
    {
      file: path,
    },
  );
}

/** x.npy (inputs) and, optionally, y.npy (targets). */
function loadNpyDirectory(dir: string): Dataset {
  const xFile = join(dir, 'x.npy');
  const yFile = join(dir, 'y.npy');
  if (!existsSync(xFile)) {
    const files = readdirSync(dir).sort().slice(0, 10).join(', ');
    throw new DataError(
      `expected x.npy (and optionally y.npy) in the directory, got ${files || 'no files'}`,
      {
        file: dir,
      },
    );
  }
  const y: Record<string, DataArray> = existsSync(yFile) ? { y: sampleArray(yFile) } : {};
  try {
    return makeDataset(basename(dir), { x: sampleArray(xFile) }, y);
  } catch (e) {
    if (e instanceof DataError && e.location.file === undefined)
      throw new DataError(e.what, { file: dir });
    throw e;
  }
}

/** A .npy array that has a sample axis. */
function sampleArray(file: string): DataArray {
  const a = readNpyFile(file);
  if (a.shape.length === 0)
    throw new DataError('expected an array with a sample axis, got a scalar', { file });
  return a;
}
