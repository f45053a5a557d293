import { createRequire } from 'node:module';
import { dirname } from 'node:path';
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
