// Engine selection: which tfjs backend runs the models. One pattern for every runtime choice of
// netspec (see DESIGN.md): a priority list, each candidate loaded with import() and probed, and
// one error that lists every attempt and why it failed.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { registerWasmKernels } from './kernels/register.js';
import { tf } from './tf.js';

export type EngineName = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** What 'auto' tries, fastest first. */
export const ENGINE_ORDER: readonly EngineName[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

/** The engine in use. */
export interface EngineInfo {
  name: EngineName;
  /** tfjs's backend name: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** Version of tfjs-core; the engine's own package and version are in `notes`. */
  version: string;
  threads?: number;
  simd?: boolean;
  /** Facts worth showing: engines skipped on the way and why, threading limits. */
  notes: string[];
}

/** One engine as `doctor` shows it. */
export interface EngineProbe {
  name: EngineName;
  available: boolean;
  reason?: string;
  /** What to install to make it available. */
  hint?: string;
}

/** One engine that could not be used. */
export interface EngineAttempt {
  name: EngineName;
  reason: string;
  hint?: string;
}

/** No requested engine could be used: every attempt, and why it failed. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    message: string,
    readonly attempts: EngineAttempt[],
  ) {
    const lines = attempts.map((a) => `  ${a.name}: ${a.reason}${a.hint ? ` (${a.hint})` : ''}`);
    super([message, ...lines].join('\n'));
  }
}

/** Why one engine cannot be used. */
export type Failure = Omit<EngineAttempt, 'name'>;
type Loaded = { info: Omit<EngineInfo, 'notes' | 'name'>; notes: string[] };

const require = createRequire(import.meta.url);
const NATIVE_PACKAGES = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
} as const;

let current: EngineInfo | undefined;
/** Which package registered tfjs's 'tensorflow' backend in this process. */
let nativeOwner: keyof typeof NATIVE_PACKAGES | undefined;

/** The engine in use, once `useEngine` has chosen one. */
export function engine(): EngineInfo | undefined {
  return current;
}

/**
 * Loads and selects an engine. 'auto' takes the first of ENGINE_ORDER that loads and passes a
 * probe; a name loads exactly that engine or throws an EngineError, never falling back. When
 * `requested` is undefined, the environment variable NETSPEC_ENGINE (an engine name or 'auto')
 * is the request, so a user can pin the engine of any command or test run.
 */
export async function useEngine(requested?: EngineName | 'auto'): Promise<EngineInfo> {
  const { want, source } = request(requested);
  const names = want === 'auto' ? ENGINE_ORDER : [want];
  const before = tf.engine().backendName;
  const attempts: EngineAttempt[] = [];
  for (const name of names) {
    const result = await tryEngine(name);
    if ('reason' in result) {
      attempts.push({ name, ...result });
      continue;
    }
    const skipped = attempts.map((a) => `${a.name} skipped: ${a.reason}`);
    current = { name, ...result.info, notes: [...skipped, ...result.notes] };
    return current;
  }
  // A failed attempt may have switched backends (a probe that failed): switch back.
  if (before && tf.engine().backendName !== before) await tf.setBackend(before);
  const what = want === 'auto' ? 'no engine could be used' : `engine "${want}" could not be used`;
  throw new EngineError(`${what}${source}:`, attempts);
}

/**
 * Every engine, available or not and why, for `doctor`. Loads them to find out but leaves the
 * engine in use (or, before any, tfjs's current backend) selected afterwards.
 */
export async function probeEngines(): Promise<EngineProbe[]> {
  const before = tf.engine().backendName;
  const probes: EngineProbe[] = [];
  try {
    for (const name of ENGINE_ORDER) {
      const result = await tryEngine(name);
      probes.push(
        'reason' in result ? { name, available: false, ...result } : { name, available: true },
      );
    }
  } finally {
    await tf.setBackend(current?.backend ?? before ?? 'cpu');
  }
  return probes;
}

/** The request: the argument, else NETSPEC_ENGINE, else 'auto'; unknown names throw. */
function request(requested: string | undefined): { want: EngineName | 'auto'; source: string } {
  const fromEnv = requested === undefined ? process.env.NETSPEC_ENGINE || undefined : undefined;
  const want = requested ?? fromEnv ?? 'auto';
  const source = fromEnv ? ' (from NETSPEC_ENGINE)' : '';
  if (want === 'auto' || (ENGINE_ORDER as readonly string[]).includes(want))
    return { want: want as EngineName | 'auto', source };
  throw new EngineError(
    `unknown engine "${want}"${source}: expected auto, ${ENGINE_ORDER.join(', ')}`,
    [],
  );
}

/** Loads, selects and probes one engine. */
async function tryEngine(name: EngineName): Promise<Loaded | Failure> {
  try {
    const loaded =
      name === 'wasm' ? await loadWasm() : name === 'cpu' ? loadCpu() : await loadNative(name);
    if ('reason' in loaded) return loaded;
    if (!(await tf.setBackend(loaded.info.backend)))
      return { reason: `tfjs could not initialize its "${loaded.info.backend}" backend` };
    const wrong = probe();
    return wrong ? { reason: `loaded, but a 2x2 matmul probe failed: ${wrong}` } : loaded;
  } catch (e) {
    return { reason: `failed while loading: ${message(e)}` };
  }
}

/** tfjs-node(-gpu): an optional package, maybe absent, maybe present without its addon. */
async function loadNative(name: keyof typeof NATIVE_PACKAGES): Promise<Loaded | Failure> {
  const pkg = NATIVE_PACKAGES[name];
  if (!isInstalled(pkg)) return nativeFailure(pkg, false);
  if (nativeOwner && nativeOwner !== name)
    return { reason: `tfjs's "tensorflow" backend is already taken by ${nativeOwner} here` };
  let mod: { version?: Record<string, string> };
  try {
    // A variable specifier: the package is optional, so neither tsc nor bundlers may require it.
    const specifier: string = pkg;
    mod = (await import(specifier)) as typeof mod;
  } catch (e) {
    return nativeFailure(pkg, true, e);
  }
  nativeOwner = name;
  const notes = [`${pkg} ${mod.version?.['tfjs-node'] ?? '(version unknown)'}`];
  if (name === 'tfjs-node-gpu') notes.push('TensorFlow C library with CUDA');
  return { info: { backend: 'tensorflow', version: tf.version_core }, notes };
}

/** Why an optional native package cannot be used, and what to do about it. */
export function nativeFailure(pkg: string, installed: boolean, error?: unknown): Failure {
  if (!installed) return { reason: 'the package is not installed', hint: `npm install ${pkg}` };
  return {
    reason: `present but its native addon did not load: ${message(error)}`,
    hint: `reinstall ${pkg} with its install script allowed: it downloads libtensorflow`,
  };
}

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** tfjs-backend-wasm: its .wasm files are found next to the installed package, not the bundle. */
async function loadWasm(): Promise<Loaded> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Paths can only be set before the backend initializes.
  if (!('wasm' in tf.engine().registry))
    wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  registerWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const notes = [
    `tfjs-backend-wasm ${wasm.version_wasm}`,
    `SIMD ${simd ? 'on' : 'off'}`,
    // Under Node tfjs loads wasm without threads; netspec trains on several engine instances
    // instead (data parallel, train's `threads`).
    threaded ? 'multithreaded' : 'one core per instance (tfjs runs wasm without threads in Node)',
  ];
  return {
    info: {
      backend: 'wasm',
      version: tf.version_core,
      threads: threaded ? wasm.getThreadsCount() : 1,
      simd: Boolean(simd),
    },
    notes,
  };
}

function loadCpu(): Loaded {
  return {
    info: { backend: 'cpu', version: tf.version_core, threads: 1 },
    notes: ['plain JavaScript kernels: slow, for checks and small models'],
  };
}

/** Why a 2x2 matmul on the selected backend gives wrong numbers; undefined when right. */
function probe(): string | undefined {
  const got = tf.tidy(() => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([5, 6, 7, 8], [2, 2]);
    return Array.from(tf.matMul(a, b).dataSync());
  });
  const want = [19, 22, 43, 50];
  return got.every((v, i) => v === want[i]) ? undefined : `got [${got}], expected [${want}]`;
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}
