import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResolvedModel } from '@netspec/spec';
import { loadSpecFile, readTextFile } from './load-spec.js';
import { UserError } from './user-error.js';

// A run directory (DESIGN.md) as `netspec train` writes it; its file names are backend-tfjs's
// RUN_FILES, repeated here so reading a run dir does not load TensorFlow.js.
export const RUN_SPEC = 'spec.json';
export const RUN_WEIGHTS = 'weights.safetensors';
export const RUN_LABELS = 'labels.json';
export const RUN_STATE = 'state.json';

/** Weight files larger than this are refused before they are read. */
const MAX_WEIGHT_BYTES = 2 ** 31 - 1;

export interface RunDir {
  dir: string;
  model: ResolvedModel;
  /** weights.safetensors as written by training. */
  weights: Uint8Array;
  /** Class names of the data it was trained on, when known. */
  labels?: string[];
}

/** Whether `path` is a directory (so a run dir rather than a file). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a run directory's spec, weights and labels, with one clear error for each problem. */
export async function readRunDir(dir: string): Promise<RunDir> {
  const expected = 'a run directory (spec.json and weights.safetensors, from netspec train)';
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dir);
  } catch {
    throw new UserError(`${dir}: no such directory; expected ${expected}`);
  }
  if (!info.isDirectory()) throw new UserError(`${dir}: not a directory; expected ${expected}`);
  const specPath = join(dir, RUN_SPEC);
  const weightsPath = join(dir, RUN_WEIGHTS);
  for (const [path, what] of [
    [specPath, 'the spec'],
    [weightsPath, 'the trained weights'],
  ] as const) {
    if (!(await stat(path).catch(() => undefined))?.isFile())
      throw new UserError(`${path}: missing; expected ${what} in ${expected}`);
  }
  const model = await loadSpecFile(specPath);
  const size = (await stat(weightsPath)).size;
  if (size > MAX_WEIGHT_BYTES)
    throw new UserError(`${weightsPath}: ${size} bytes; expected at most ${MAX_WEIGHT_BYTES}`);
  const weights = new Uint8Array(await readFile(weightsPath));
  const run: RunDir = { dir, model, weights };
  const labels = await readLabels(join(dir, RUN_LABELS));
  if (labels) run.labels = labels;
  return run;
}

/** labels.json: an array of class names; absent is fine, malformed is an error. */
async function readLabels(path: string): Promise<string[] | undefined> {
  if (!(await stat(path).catch(() => undefined))) return undefined;
  const text = await readTextFile(path, 'a JSON array of class names', 1 << 24);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UserError(`${path}: not JSON; expected a JSON array of class names`);
  }
  if (!Array.isArray(parsed) || !parsed.every((l) => typeof l === 'string'))
    throw new UserError(`${path}: expected a JSON array of class names (strings)`);
  return parsed;
}
