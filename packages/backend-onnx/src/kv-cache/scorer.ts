import type { TokenScorer } from '@netspec/spec';
import { SessionError } from '../errors.js';
import type { ModelProto, ValueInfoProto } from '../proto/types.js';
import { readOnnx } from '../session/check.js';
import { ONNX_ENGINES, type OnnxEngine } from '../session/create.js';
import { loadOrtNode, loadOrtWeb } from '../session/engines.js';
import { CACHE_NAMES } from './emitters.js';
import { CONTEXT_LENGTH_KEY } from './export.js';

export interface OrtScorerOptions {
  /** onnxruntime-node on the CPU (default), or onnxruntime-web's wasm build. */
  engine?: OnnxEngine;
  /** Intra-op threads of ort-node (default: onnxruntime's choice). */
  threads?: number;
  /** Names the model in error messages (a file path, say). */
  source?: string;
}

// The part of onnxruntime's API (the same in -node and -web) the scorer uses; int64 tensors
// need BigInt64Array, which ModelRunner's RunnerTensor does not carry.
interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
}
type TensorClass = new (type: string, data: unknown, dims: readonly number[]) => OrtTensor;
interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** What the scorer reads from a decoder-with-past graph. */
interface CacheLayout {
  layers: { heads: number; headDim: number }[];
  vocabularySize: number;
  contextLength: number;
  positionIds: boolean;
}

const dimsOf = (v: ValueInfoProto | undefined) =>
  v?.type?.tensor_type?.shape?.dim?.map((d) => d.dim_value) ?? [];

/** The cache layout of `model`, or a SessionError naming the input or output that is missing. */
function cacheLayout(model: ModelProto, source: string): CacheLayout {
  const inputs = new Map((model.graph?.input ?? []).map((v) => [v.name, v]));
  const outputs = new Map((model.graph?.output ?? []).map((v) => [v.name, v]));
  const want = (found: boolean, what: string) => {
    if (!found)
      throw new SessionError(
        `${source}: expected a decoder-with-past model (exportOnnxWithCache) with ${what}; it has inputs ${[...inputs.keys()].join(', ')}`,
      );
  };
  want(
    inputs.has(CACHE_NAMES.ids) && inputs.has(CACHE_NAMES.mask),
    'inputs input_ids and attention_mask',
  );
  const vocabularySize = dimsOf(outputs.get(CACHE_NAMES.logits))[2];
  want(typeof vocabularySize === 'number', 'output logits of shape [batch, sequence, vocabulary]');
  const layers: CacheLayout['layers'] = [];
  for (let i = 0; inputs.has(CACHE_NAMES.past(i, 'key')); i++) {
    const [, heads, , headDim] = dimsOf(inputs.get(CACHE_NAMES.past(i, 'key')));
    const ok = typeof heads === 'number' && typeof headDim === 'number';
    want(
      ok && inputs.has(CACHE_NAMES.past(i, 'value')),
      `past_key_values.${i}.key/.value of fixed heads and head size`,
    );
    layers.push({ heads: heads as number, headDim: headDim as number });
  }
  want(layers.length > 0, 'inputs past_key_values.{i}.key/.value');
  const declared = model.metadata_props?.find((p) => p.key === CONTEXT_LENGTH_KEY)?.value;
  const contextLength = declared ? Number(declared) : Number.POSITIVE_INFINITY;
  return {
    layers,
    vocabularySize: vocabularySize as number,
    contextLength: Number.isFinite(contextLength) ? contextLength : Number.POSITIVE_INFINITY,
    positionIds: inputs.has(CACHE_NAMES.positions),
  };
}

async function openSession(bytes: Uint8Array, engine: OnnxEngine, threads?: number) {
  const ort = engine === 'ort-node' ? await loadOrtNode() : await loadOrtWeb();
  const options =
    engine === 'ort-node'
      ? {
          executionProviders: ['cpu'],
          graphOptimizationLevel: 'all',
          ...(threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {}),
        }
      : { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  try {
    const session = (await ort.InferenceSession.create(bytes, options)) as OrtSession;
    return { session, Tensor: ort.Tensor as unknown as TensorClass };
  } catch (e) {
    throw new SessionError(
      `${engine}: the model did not load: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/**
 * A decoder-with-past ONNX model (from `exportOnnxWithCache`) on onnxruntime behind the
 * TokenScorer interface (batch 1): each step feeds only the new tokens and the keys and values
 * the previous step returned (`present.*` become `past_key_values.*`).
 */
export async function ortScorer(
  bytes: Uint8Array,
  options: OrtScorerOptions = {},
): Promise<TokenScorer> {
  const engine = options.engine ?? 'ort-node';
  const source = options.source ?? 'model';
  if (!ONNX_ENGINES.includes(engine))
    throw new SessionError(
      `engine: expected one of ${ONNX_ENGINES.join(', ')}, got ${String(engine)}`,
    );
  const { threads } = options;
  if (
    threads !== undefined &&
    !(Number.isInteger(threads) && threads >= 1 && engine === 'ort-node')
  )
    throw new SessionError(
      `threads: expected a positive integer (ort-node only), got ${String(threads)}`,
    );
  const layout = cacheLayout(readOnnx(bytes, source, engine), source);
  const { session, Tensor } = await openSession(bytes, engine, threads);
  const int64 = (values: number[]) =>
    new Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
  const emptyPast = () =>
    Object.fromEntries(
      layout.layers.flatMap(({ heads, headDim }, i) =>
        (['key', 'value'] as const).map((part) => [
          CACHE_NAMES.past(i, part),
          new Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]),
        ]),
      ),
    );
  let past: Record<string, OrtTensor> = emptyPast();
  let length = 0;
  let disposed = false;
  let busy = false;
  return {
    engine,
    vocabularySize: layout.vocabularySize,
    contextLength: layout.contextLength,
    cached: true,
    get length() {
      return length;
    },
    async append(tokens) {
      if (disposed) throw new SessionError(`${engine}: this scorer was disposed`);
      checkTokens(tokens, layout.vocabularySize);
      if (length + tokens.length > layout.contextLength)
        throw new RangeError(
          `append: ${length} held + ${tokens.length} new positions pass the context length ${layout.contextLength}`,
        );
      const t = tokens.length;
      const feeds: Record<string, OrtTensor> = {
        ...past,
        [CACHE_NAMES.ids]: int64([...tokens]),
        [CACHE_NAMES.mask]: int64(Array(length + t).fill(1)),
      };
      if (layout.positionIds)
        feeds[CACHE_NAMES.positions] = int64(Array.from({ length: t }, (_, i) => length + i));
      // The cache is one sequence: a second append must wait for the first.
      if (busy) throw new SessionError(`${engine}: append called while the previous append runs`);
      busy = true;
      const out = await session.run(feeds).finally(() => {
        busy = false;
      });
      past = Object.fromEntries(
        layout.layers.flatMap((_, i) =>
          (['key', 'value'] as const).map((part) => [
            CACHE_NAMES.past(i, part),
            out[CACHE_NAMES.present(i, part)] as OrtTensor,
          ]),
        ),
      );
      length += t;
      const v = layout.vocabularySize;
      const logits = (out[CACHE_NAMES.logits] as OrtTensor).data as Float32Array;
      return logits.slice((t - 1) * v, t * v); // the last position's row of (1, T, V)
    },
    reset() {
      past = emptyPast();
      length = 0;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

/** Checks that `tokens` are a non-empty list of ids below `vocabulary`. */
function checkTokens(tokens: readonly number[], vocabulary: number): void {
  if (!Array.isArray(tokens) || tokens.length === 0)
    throw new RangeError('append: expected a non-empty array of token ids');
  tokens.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= vocabulary)
      throw new RangeError(
        `append: tokens[${i}]: expected an integer id in [0, ${vocabulary - 1}], got ${t}`,
      );
  });
}
