import { SessionError } from '../errors.js';
import type { ModelProto } from '../proto/types.js';
import { readOnnx } from './check.js';
import { CUDA_INSTALL_HINT, loadOrtNode, loadOrtWeb, ortNodeCudaProblem } from './engines.js';
import { type OrtModule, ortRunner } from './ort-runner.js';
import type { ModelRunner } from './runner.js';
import { unsupportedOpError } from './support.js';

export type OnnxEngine = 'ort-node' | 'ort-web';
export const ONNX_ENGINES: readonly OnnxEngine[] = ['ort-node', 'ort-web'];
export type OnnxProvider = 'cpu' | 'cuda';
export const ONNX_PROVIDERS: readonly OnnxProvider[] = ['cpu', 'cuda'];

export interface SessionOptions {
  /** onnxruntime-node on the CPU (default), or onnxruntime-web's wasm build. */
  engine?: OnnxEngine;
  /** Intra-op threads of ort-node (default: onnxruntime's choice); ort-web runs one thread. */
  threads?: number;
  /**
   * ort-node's execution provider: 'cpu' (default) or 'cuda'. CUDA that cannot load is a
   * `SessionError`, never a silent fallback to the CPU; ort-web has no CUDA.
   */
  provider?: OnnxProvider;
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
  const provider = options.provider ?? 'cpu';
  if (!ONNX_ENGINES.includes(engine)) {
    throw new SessionError(
      `engine: expected one of ${ONNX_ENGINES.join(', ')}, got ${String(engine)}`,
    );
  }
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new SessionError(`threads: expected a positive integer, got ${String(threads)}`);
  }
  if (!ONNX_PROVIDERS.includes(provider)) {
    throw new SessionError(
      `provider: expected one of ${ONNX_PROVIDERS.join(', ')}, got ${String(provider)}`,
    );
  }
  if (engine === 'ort-web' && provider !== 'cpu') {
    throw new SessionError(
      `ort-web: no ${provider} execution provider (onnxruntime-web runs wasm, or webgpu in a browser); use engine 'ort-node' for CUDA`,
    );
  }
  const model = readOnnx(bytes, options.source, engine);
  // An op the engine has no implementation of is the file's problem, not the engine's: say which.
  const load = async (ort: OrtModule, sessionOptions: object): Promise<ModelRunner> => {
    try {
      return await ortRunner(engine, ort, bytes, sessionOptions);
    } catch (e) {
      throw opError(model, engine, e, options.source) ?? e;
    }
  };
  if (engine === 'ort-node') {
    const ort = await loadOrtNode();
    const sessionOptions = {
      // Only the provider asked for: onnxruntime adds nothing else that could hide a failure.
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
    };
    if (provider === 'cpu') return load(ort, sessionOptions);
    const problem = ortNodeCudaProblem();
    if (problem) {
      throw new SessionError(
        `ort-node: the CUDA execution provider cannot load: ${problem}. ${CUDA_INSTALL_HINT}`,
      );
    }
    try {
      return await load(ort, sessionOptions);
    } catch (e) {
      if (!(e instanceof SessionError)) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      // A model the engine cannot run keeps its own message; a provider that fails says so.
      if (!/cuda|cudnn|provider|shared librar|device/i.test(reason)) throw e;
      throw new SessionError(
        `ort-node: the CUDA execution provider did not start (${reason}). ${CUDA_INSTALL_HINT}`,
      );
    }
  }
  if (threads !== undefined && threads > 1) {
    throw new SessionError(`ort-web: runs one thread in Node, got threads ${threads}`);
  }
  const ort = await loadOrtWeb();
  return load(ort, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
}

function opError(model: ModelProto, engine: OnnxEngine, e: unknown, source?: string) {
  const reason = e instanceof Error ? e.message : String(e);
  return unsupportedOpError(model, engine, reason, source);
}
