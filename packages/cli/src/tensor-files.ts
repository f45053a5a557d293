import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { RunnerTensor } from '@netspec/spec';
import { asUserError } from './library-errors.js';
import type { ModelInput } from './model-source.js';
import { UserError } from './user-error.js';

// Inputs of `netspec predict` (.npy, .json, .png) checked against the model's inputs, and its
// outputs written as .npy or .json.

const MAX_INPUT_BYTES = 1 << 30;
const shapeText = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'any').join(', ')}]`;

/** Reads `path` as the model's input(s): one batch, with a batch axis added when missing. */
export async function readInputFile(
  path: string,
  inputs: readonly ModelInput[],
): Promise<Record<string, RunnerTensor>> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`--input ${path}: no such file`);
  if (!info.isFile())
    throw new UserError(`--input ${path}: not a regular file; expected .npy, .json or .png`);
  if (info.size > MAX_INPUT_BYTES)
    throw new UserError(`--input ${path}: ${info.size} bytes; expected at most ${MAX_INPUT_BYTES}`);
  const ext = extname(path).toLowerCase();
  const first = inputs[0];
  if (!first) throw new UserError(`the model has no inputs`);
  if (ext === '.npy' || ext === '.png') {
    if (inputs.length !== 1)
      throw new UserError(
        `--input ${path}: the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); expected a .json file {"<input>": [...]} for them`,
      );
    const bytes = new Uint8Array(await readFile(path));
    const raw = ext === '.npy' ? await npyTensor(bytes, path) : await pngTensor(bytes, path, first);
    return { [first.name]: fitInput(raw, first, path) };
  }
  if (ext === '.json') return jsonInputs(await readFile(path, 'utf8'), path, inputs);
  throw new UserError(
    `--input ${path}: expected a .npy, .json or .png file, got "${ext || 'no extension'}"`,
  );
}

async function npyTensor(bytes: Uint8Array, path: string): Promise<RunnerTensor> {
  const { readNpy } = await import('@netspec/backend-tfjs');
  try {
    const a = readNpy(bytes, path);
    return { data: a.data, shape: a.shape };
  } catch (e) {
    throw asUserError(e, '--input ');
  }
}

/** A PNG as the model's image input: (H, W, 1) grayscale or (H, W, 3) RGB, values in [0, 1]. */
async function pngTensor(
  bytes: Uint8Array,
  path: string,
  input: ModelInput,
): Promise<RunnerTensor> {
  const [h, w, c] = input.shape;
  if (input.shape.length !== 3 || (c !== 1 && c !== 3) || input.dtype !== 'float32')
    throw new UserError(
      `--input ${path}: a PNG needs an image input (height, width, 1 or 3 channels, float32); input "${input.name}" is ${shapeText(input.shape)} ${input.dtype}`,
    );
  const { PNG } = await import('pngjs');
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = PNG.sync.read(Buffer.from(bytes));
  } catch (e) {
    throw new UserError(`--input ${path}: not a readable PNG (${(e as Error).message})`);
  }
  if ((h !== null && png.height !== h) || (w !== null && png.width !== w))
    throw new UserError(
      `--input ${path}: a ${png.width}x${png.height} image; input "${input.name}" expects ${w ?? 'any'}x${h ?? 'any'} (width x height): resize it first`,
    );
  const n = png.width * png.height;
  const data = new Float32Array(n * c);
  for (let i = 0; i < n; i++) {
    const [r, g, b, a] = [0, 1, 2, 3].map((k) => (png.data[i * 4 + k] as number) / 255) as number[];
    // Transparent pixels count as the background (black), as MNIST digits are white on black.
    const [rr, gg, bb] = [r, g, b].map((v) => (v as number) * (a as number)) as number[];
    if (c === 1) data[i] = 0.299 * (rr as number) + 0.587 * (gg as number) + 0.114 * (bb as number);
    else data.set([rr as number, gg as number, bb as number], i * 3);
  }
  return { data, shape: [png.height, png.width, c] };
}

/** Checks a tensor against an input; a tensor of one sample gets its batch axis. */
function fitInput(t: RunnerTensor, input: ModelInput, where: string): RunnerTensor {
  const batched = t.shape.length === input.shape.length ? [1, ...t.shape] : t.shape;
  const sample = batched.slice(1);
  const ok =
    sample.length === input.shape.length &&
    input.shape.every((d, i) => d === null || d === sample[i]);
  if (!ok)
    throw new UserError(
      `--input ${where}: input "${input.name}" expects samples of shape ${shapeText(input.shape)} (or a batch of them), got ${shapeText(t.shape)}`,
    );
  let data = t.data;
  if (input.dtype === 'int32' && data instanceof Float32Array) {
    if (!data.every(Number.isInteger))
      throw new UserError(
        `--input ${where}: input "${input.name}" expects int32 ids, got float values`,
      );
    data = Int32Array.from(data);
  }
  if (input.dtype === 'float32' && data instanceof Int32Array) data = Float32Array.from(data);
  return { data, shape: batched };
}

/** `[...]` (nested numbers) for a one-input model, or `{ "<input>": [...] }` for any. */
function jsonInputs(
  text: string,
  path: string,
  inputs: readonly ModelInput[],
): Record<string, RunnerTensor> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserError(`--input ${path}: not JSON (${(e as Error).message})`);
  }
  const byName: Record<string, unknown> =
    Array.isArray(parsed) && inputs.length === 1
      ? { [(inputs[0] as ModelInput).name]: parsed }
      : typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : {};
  const out: Record<string, RunnerTensor> = {};
  for (const input of inputs) {
    if (!Object.hasOwn(byName, input.name))
      throw new UserError(
        `--input ${path}: expected ${inputs.length === 1 ? 'a nested array of numbers or ' : ''}an object with key${inputs.length === 1 ? '' : 's'} ${inputs.map((i) => `"${i.name}"`).join(', ')}`,
      );
    const t = nestedArray(byName[input.name], `${path} /${input.name}`);
    out[input.name] = fitInput(t, input, `${path} /${input.name}`);
  }
  return out;
}

/** A rectangular nested array of finite numbers as a float32 tensor. */
export function nestedArray(value: unknown, where: string): RunnerTensor {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const flat: number[] = [];
  const walk = (v: unknown, depth: number, at: string) => {
    if (depth === shape.length) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new UserError(
          `--input ${where}${at}: expected a finite number, got ${JSON.stringify(v)}`,
        );
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth])
      throw new UserError(
        `--input ${where}${at}: expected an array of ${shape[depth]} (the arrays must be rectangular)`,
      );
    for (const [i, x] of v.entries()) walk(x, depth + 1, `${at}/${i}`);
  };
  walk(value, 0, '');
  return { data: Float32Array.from(flat), shape };
}

/** Writes outputs: .npy (one output) or .json ({ "<output>": { shape, data } }). */
export async function encodeOutputs(
  path: string,
  outputs: Record<string, RunnerTensor>,
): Promise<Uint8Array | string> {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    const obj = Object.fromEntries(
      Object.entries(outputs).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]),
    );
    return `${JSON.stringify(obj)}\n`;
  }
  if (ext === '.npy') {
    const names = Object.keys(outputs);
    if (names.length !== 1)
      throw new UserError(
        `-o ${path}: the model has ${names.length} outputs; expected a .json path for them`,
      );
    const { writeNpy } = await import('@netspec/backend-tfjs');
    const t = outputs[names[0] as string] as RunnerTensor;
    return writeNpy({
      data: t.data,
      shape: t.shape,
      dtype: t.data instanceof Int32Array ? 'int32' : 'float32',
    });
  }
  throw new UserError(`-o ${path}: expected a .npy or .json path, got "${ext || 'no extension'}"`);
}
