import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SessionError } from '../errors.js';
import type { OrtModule } from './ort-runner.js';

async function load<T>(engine: string, specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new SessionError(`engine "${engine}" could not be loaded: ${specifier}: ${reason}`);
  }
}

/** onnxruntime-node (native CPU binaries shipped in its npm package). */
export async function loadOrtNode(): Promise<OrtModule> {
  return load<OrtModule>('ort-node', 'onnxruntime-node');
}

/** The CUDA execution provider's libraries, which onnxruntime-node downloads at install time. */
const CUDA_LIBRARIES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'];

/** What to do to get onnxruntime-node's CUDA execution provider (its README, "CUDA EP Installation"). */
export const CUDA_INSTALL_HINT =
  "onnxruntime-node's CUDA execution provider needs Linux x64, an NVIDIA GPU with CUDA 12 and cuDNN 9, " +
  'and the CUDA EP binaries, which its install script downloads: reinstall onnxruntime-node with ' +
  'ONNXRUNTIME_NODE_INSTALL=cuda12 (or --onnxruntime-node-install=cuda12), for example ' +
  '`ONNXRUNTIME_NODE_INSTALL=cuda12 pnpm install --force`';

/**
 * Why onnxruntime-node's CUDA execution provider cannot load here, or undefined when its files are
 * installed (the GPU itself is only found when a session is created).
 */
export function ortNodeCudaProblem(): string | undefined {
  if (`${process.platform}/${process.arch}` !== 'linux/x64') {
    return `onnxruntime-node ships the CUDA execution provider for linux/x64 only, not ${process.platform}/${process.arch}`;
  }
  let dir: string;
  try {
    const main = createRequire(import.meta.url).resolve('onnxruntime-node');
    dir = join(dirname(main), '..', 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return 'onnxruntime-node is not installed';
  }
  const missing = CUDA_LIBRARIES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) return `${missing.join(', ')} not installed in ${dir}`;
  return undefined;
}

let webReady: Promise<OrtModule> | undefined;

/**
 * onnxruntime-web's wasm build, set up for Node: one thread, and the .wasm files read from the
 * installed package's dist folder (no network, no bundler).
 */
export function loadOrtWeb(): Promise<OrtModule> {
  webReady ??= (async () => {
    const ort = await load<OrtModule & { env: { wasm: Record<string, unknown> } }>(
      'ort-web',
      'onnxruntime-web',
    );
    const main = createRequire(import.meta.url).resolve('onnxruntime-web');
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = `${pathToFileURL(dirname(main)).href}/`;
    return ort;
  })();
  return webReady;
}
