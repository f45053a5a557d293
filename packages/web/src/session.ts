import { feedProblem, type ModelRunner, type RunnerTensor } from '@netspec/spec';
import type * as Ort from 'onnxruntime-web';
import { captureLogs } from './logs.js';
import { cpuNodes, type PlacedNode, type Placement, parsePlacement } from './placement.js';

/** onnxruntime-web's execution providers that netspec drives in a browser. */
export type WebProvider = 'webgpu' | 'wasm';
export const WEB_PROVIDERS: readonly WebProvider[] = ['webgpu', 'wasm'];

/** A session that cannot be created, or a run with bad inputs; the message says which. */
export class WebSessionError extends Error {
  override readonly name = 'WebSessionError';
}

export interface WebSessionOptions {
  /** The provider asked for (default `webgpu`). */
  provider?: WebProvider;
  /** When WebGPU cannot start, run on wasm and say why in `fallback` (default true). */
  fallback?: boolean;
  /** Weights stored outside the .onnx: each file as its `location` in the model names it. */
  externalData?: { path: string; data: Uint8Array | string }[];
  /** Names the model in error messages (a file name, say). */
  source?: string;
}

/** A ModelRunner that says which provider really runs the model and which nodes left it. */
export interface WebRunner extends ModelRunner {
  /** `ort-web/webgpu` or `ort-web/wasm`. */
  readonly engine: string;
  readonly provider: WebProvider;
  /** Why the provider asked for is not the one running, or undefined when it is. */
  readonly fallback: string | undefined;
  /** Every node of the optimized graph and the onnxruntime execution provider it was put on. */
  readonly placement: readonly Placement[];
  /** On WebGPU, the nodes onnxruntime put on the CPU instead (shape ops, unsupported kernels). */
  readonly cpuNodes: readonly PlacedNode[];
  /** Milliseconds the last `run` took, outputs back on the CPU included. */
  readonly lastRunMs: number | undefined;
}

let ortModule: Promise<typeof Ort> | undefined;
const loadOrt = () => {
  ortModule ??= import('onnxruntime-web');
  return ortModule;
};

/** Why WebGPU cannot run here, or undefined when the browser offers an adapter. */
export async function webgpuProblem(): Promise<string | undefined> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } })?.gpu;
  if (!gpu) {
    return 'this browser exposes no navigator.gpu (no WebGPU, or not enabled: Chromium on Linux needs --enable-unsafe-webgpu)';
  }
  try {
    if (!(await gpu.requestAdapter())) return 'navigator.gpu.requestAdapter() found no GPU adapter';
  } catch (e) {
    return `navigator.gpu.requestAdapter() failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return undefined;
}

// One session is created at a time: onnxruntime-web's first create starts its wasm module and a
// second one racing it fails ("multiple calls to 'initWasm()'"), and the placement log of two
// creations would interleave.
let creating: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const next = creating.then(work, work);
  creating = next.catch(() => undefined);
  return next;
}

const IN_BROWSER = typeof window !== 'undefined';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function open(
  ort: typeof Ort,
  bytes: Uint8Array,
  provider: WebProvider,
  options: WebSessionOptions,
) {
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    // Verbose: onnxruntime then logs where it put each node (read back by parsePlacement). In
    // Node its log goes straight to stderr, out of reach: there it stays at warnings.
    logSeverityLevel: IN_BROWSER ? 0 : 2,
    ...(options.externalData ? { externalData: options.externalData } : {}),
  };
  const { result, lines } = await oneAtATime(() =>
    captureLogs(() => ort.InferenceSession.create(bytes, sessionOptions)),
  );
  return { session: result, placement: parsePlacement(lines) };
}

/**
 * Creates an onnxruntime-web session for ONNX bytes on the provider asked for. WebGPU that cannot
 * start falls back to wasm (unless `fallback: false`) and the runner's `fallback` says why.
 */
export async function createWebSession(
  bytes: Uint8Array,
  options: WebSessionOptions = {},
): Promise<WebRunner> {
  const provider = options.provider ?? 'webgpu';
  const source = options.source ?? 'model';
  if (!WEB_PROVIDERS.includes(provider)) {
    throw new WebSessionError(
      `provider: expected one of ${WEB_PROVIDERS.join(', ')}, got ${String(provider)}`,
    );
  }
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new WebSessionError(
      `${source}: expected the bytes of an .onnx file, got ${bytes instanceof Uint8Array ? 'an empty file' : typeof bytes}`,
    );
  }
  const ort = await loadOrt();
  let fallback: string | undefined;
  if (provider === 'webgpu') {
    const problem = await webgpuProblem();
    if (!problem) {
      try {
        return runner(ort, 'webgpu', undefined, await open(ort, bytes, 'webgpu', options));
      } catch (e) {
        fallback = `WebGPU did not start: ${message(e)}`;
      }
    } else fallback = problem;
    if (options.fallback === false) throw new WebSessionError(`${source}: webgpu: ${fallback}`);
  }
  try {
    return runner(ort, 'wasm', fallback, await open(ort, bytes, 'wasm', options));
  } catch (e) {
    throw new WebSessionError(`${source}: onnxruntime-web could not load the model: ${message(e)}`);
  }
}

function runner(
  ort: typeof Ort,
  provider: WebProvider,
  fallback: string | undefined,
  opened: { session: Ort.InferenceSession; placement: Placement[] },
): WebRunner {
  const { session, placement } = opened;
  const engine = `ort-web/${provider}`;
  let disposed = false;
  let lastRunMs: number | undefined;
  const types = new Map(
    session.inputMetadata.map((m) => [m.name, m.isTensor ? m.type : undefined] as const),
  );
  return {
    engine,
    provider,
    fallback,
    placement,
    cpuNodes: cpuNodes(placement),
    get lastRunMs() {
      return lastRunMs;
    },
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    async run(inputs) {
      if (disposed) throw new WebSessionError(`${engine}: the runner was disposed`);
      const problem = feedProblem(session.inputNames, inputs);
      if (problem) throw new WebSessionError(problem);
      const feeds: Record<string, Ort.Tensor> = {};
      for (const [name, t] of Object.entries(inputs)) feeds[name] = tensor(ort, t, types.get(name));
      const started = performance.now();
      const results = await session.run(feeds);
      lastRunMs = performance.now() - started;
      const out: Record<string, RunnerTensor> = {};
      for (const [name, t] of Object.entries(results)) {
        out[name] = { data: fromTensor(name, t), shape: [...t.dims] };
      }
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

/** RunnerTensors hold int32; an int64 graph input gets them widened (token ids, mostly). */
function tensor(ort: typeof Ort, t: RunnerTensor, type: string | undefined): Ort.Tensor {
  if (t.data instanceof Int32Array && type === 'int64') {
    return new ort.Tensor(
      'int64',
      BigInt64Array.from(t.data, (v) => BigInt(v)),
      t.shape,
    );
  }
  return new ort.Tensor(t.data instanceof Float32Array ? 'float32' : 'int32', t.data, t.shape);
}

function fromTensor(name: string, t: Ort.Tensor): Float32Array | Int32Array {
  if (t.data instanceof Float32Array || t.data instanceof Int32Array) return t.data;
  if (t.data instanceof BigInt64Array && t.data.every((v) => v >= -(2n ** 31n) && v < 2n ** 31n)) {
    return Int32Array.from(t.data, (v) => Number(v));
  }
  throw new WebSessionError(
    `output "${name}": dtype ${t.type} is not float32, int32 or int32-sized int64`,
  );
}
