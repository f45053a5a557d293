import { SessionError } from '../errors.js';
import { readOnnx } from './check.js';
import { loadOrtNode, loadOrtWeb } from './engines.js';
import { ortRunner } from './ort-runner.js';
import type { ModelRunner } from './runner.js';

export type OnnxEngine = 'ort-node' | 'ort-web';
export const ONNX_ENGINES: readonly OnnxEngine[] = ['ort-node', 'ort-web'];

export interface SessionOptions {
  /** onnxruntime-node on the CPU (default), or onnxruntime-web's wasm build. */
  engine?: OnnxEngine;
  /** Intra-op threads of ort-node (default: onnxruntime's choice); ort-web runs one thread. */
  threads?: number;
  /** Names the model in error messages (a file path, say). */
  source?: string;
}

/**
 * A ModelRunner for ONNX bytes. The bytes are checked first (`OnnxFileError`); the engine asked
 * for is the one used, or a `SessionError` says why it cannot be.
 */
export async function createSession(
  bytes: Uint8Array,
  options: SessionOptions = {},
): Promise<ModelRunner> {
  const engine = options.engine ?? 'ort-node';
  const { threads } = options;
  if (!ONNX_ENGINES.includes(engine)) {
    throw new SessionError(
      `engine: expected one of ${ONNX_ENGINES.join(', ')}, got ${String(engine)}`,
    );
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new SessionError(`threads: expected a positive integer, got ${String(threads)}`);
  }
  readOnnx(bytes, options.source);
  if (engine === 'ort-node') {
    const ort = await loadOrtNode();
    return ortRunner(engine, ort, bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
    });
  }
  if (threads !== undefined && threads > 1) {
    throw new SessionError(`ort-web: runs one thread in Node, got threads ${threads}`);
  }
  const ort = await loadOrtWeb();
  return ortRunner(engine, ort, bytes, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
}
