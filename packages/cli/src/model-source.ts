import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ModelRunner } from '@netspec/spec';
import { asUserError } from './library-errors.js';
import { readTextFile } from './load-spec.js';
import { isDirectory, type RunDir, readRunDir } from './run-dir.js';
import { UserError } from './user-error.js';

// What predict, evaluate and parity run: a run directory (spec + weights; any engine) or an
// .onnx file (onnxruntime only), behind the ModelRunner interface.

export const RUN_ENGINES = ['tfjs', 'ort-node', 'ort-web'] as const;
export type RunEngine = (typeof RUN_ENGINES)[number];
export const PROVIDERS = ['cpu', 'cuda', 'wasm'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface ModelInput {
  name: string;
  /** Per-sample shape (no batch); null for a free dimension. */
  shape: (number | null)[];
  dtype: 'float32' | 'int32';
}

export interface ModelSource {
  path: string;
  run?: RunDir;
  onnx?: Uint8Array;
  inputs: ModelInput[];
  labels?: string[];
}

const MAX_ONNX_BYTES = 2 ** 31 - 1;

/** A run directory or an .onnx file (with its external data, if any, inlined). */
export async function openModelSource(path: string): Promise<ModelSource> {
  if (await isDirectory(path)) {
    const run = await readRunDir(path);
    const inputs = run.model.inputs.map((t) => ({
      name: t.name,
      shape: [...t.shape],
      dtype: t.dtype,
    }));
    return { path, run, inputs, ...(run.labels ? { labels: run.labels } : {}) };
  }
  const onnx = await readOnnxFile(path);
  return { path, onnx, inputs: await onnxInputs(path, onnx) };
}

async function readOnnxFile(path: string): Promise<Uint8Array> {
  const expected = 'an .onnx model file or a run directory';
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UserError(`${path}: no such file or directory; expected ${expected}`);
  if (!info.isFile()) throw new UserError(`${path}: not a regular file; expected ${expected}`);
  if (info.size > MAX_ONNX_BYTES)
    throw new UserError(`${path}: ${info.size} bytes; expected an .onnx file under 2 GiB`);
  const { readFile } = await import('node:fs/promises');
  const bytes = new Uint8Array(await readFile(path));
  if (path.endsWith('.json')) await readTextFile(path, expected); // a spec given by mistake
  return inlineExternalData(path, bytes);
}

/** Graph inputs of an ONNX model, batch dimension dropped. */
async function onnxInputs(path: string, bytes: Uint8Array): Promise<ModelInput[]> {
  const { readOnnx } = await loadOnnx();
  return withUserErrors(() => {
    const model = readOnnx(bytes, path);
    const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name));
    return (model.graph?.input ?? [])
      .filter((v) => !initializers.has(v.name))
      .map((v) => {
        const t = v.type?.tensor_type;
        const dims = (t?.shape?.dim ?? []).slice(1);
        return {
          name: v.name ?? '',
          shape: dims.map((d) => (d.dim_value ? Number(d.dim_value) : null)),
          dtype: t?.elem_type === 6 ? 'int32' : 'float32',
        };
      });
  });
}

const loadOnnx = () => import('@netspec/backend-onnx');

function withUserErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asUserError(e);
  }
}

/** Models saved with --external-data: the initializers' bytes read back into the model. */
async function inlineExternalData(path: string, bytes: Uint8Array): Promise<Uint8Array> {
  const onnx = await loadOnnx();
  let model: ReturnType<typeof onnx.decodeModel>;
  try {
    model = onnx.decodeModel(bytes);
  } catch {
    // readOnnx explains what is wrong with the bytes (empty, truncated, foreign).
    withUserErrors(() => onnx.readOnnx(bytes, path));
    throw new UserError(`${path}: not an ONNX model (the protobuf does not decode)`);
  }
  const external = (model.graph?.initializer ?? []).filter((t) => t.data_location === 1);
  if (external.length === 0) return bytes;
  const { readFile } = await import('node:fs/promises');
  const files = new Map<string, Uint8Array>();
  for (const t of external) {
    const entry = Object.fromEntries((t.external_data ?? []).map((e) => [e.key, e.value]));
    const location = entry.location ?? '';
    if (!/^[\w.-]+$/.test(location))
      throw new UserError(
        `${path}: initializer ${t.name}: expected a bare external data file name, got "${location}"`,
      );
    const file = join(dirname(path), location);
    if (!files.has(file)) {
      const data = await readFile(file).catch(() => {
        throw new UserError(`${file}: missing; expected the external data of ${path}`);
      });
      files.set(file, new Uint8Array(data));
    }
    const data = files.get(file) as Uint8Array;
    const offset = Number(entry.offset ?? 0);
    const length = Number(entry.length ?? data.length - offset);
    if (!(offset >= 0 && length >= 0 && offset + length <= data.length))
      throw new UserError(
        `${file}: initializer ${t.name} at bytes ${offset}+${length}; the file has ${data.length}`,
      );
    t.raw_data = data.subarray(offset, offset + length);
    t.external_data = [];
    t.data_location = 0;
  }
  return onnx.encodeModel(model);
}

/** A runner of `engine` for the source; ONNX runners of a run dir run its fresh export. */
export async function openRunner(
  source: ModelSource,
  engine: RunEngine,
  provider?: Provider,
): Promise<ModelRunner> {
  if (provider !== undefined) checkProvider(engine, provider);
  if (engine === 'tfjs') {
    if (!source.run)
      throw new UserError(
        `--engine tfjs: needs a run directory (spec + weights), got the ONNX file ${source.path}; use ort-node or ort-web`,
      );
    const tfjs = await import('@netspec/backend-tfjs');
    // tfjs's own engines: --provider cpu or wasm picks one, else the fastest that loads.
    await tfjs.useEngine(provider as 'cpu' | 'wasm' | undefined).catch((e) => {
      throw asUserError(e);
    });
    const model = withUserErrors(() =>
      tfjs.buildModel(source.run?.model, { weights: source.run?.weights }),
    );
    return tfjs.tfjsRunner(model);
  }
  const onnx = await loadOnnx();
  const bytes =
    source.onnx ??
    withUserErrors(() => onnx.exportOnnx(source.run?.model, source.run?.weights as Uint8Array));
  const options = {
    engine,
    source: source.path,
    ...(engine === 'ort-node'
      ? { provider: (provider ?? 'cpu') as 'cpu' | 'cuda', threads: 2 }
      : {}),
  };
  return withUserErrors(() => onnx.createSession(bytes, options)).catch((e) => {
    throw asUserError(e);
  });
}

/** Fails unless `provider` belongs to `engine`. */
export function checkProvider(engine: RunEngine, provider: Provider): void {
  const allowed: Record<RunEngine, Provider[]> = {
    tfjs: ['cpu', 'wasm'],
    'ort-node': ['cpu', 'cuda'],
    'ort-web': ['wasm'],
  };
  if (!allowed[engine].includes(provider))
    throw new UserError(
      `--provider ${provider}: expected ${allowed[engine].join(' or ')} with --engine ${engine}`,
    );
}
