import type { ModelRunner, RunnerTensor, TokenScorer } from '@netspec/spec';
import type { OnnxSummary } from './onnx-summary.js';
import { WebSessionError } from './session.js';

// A decoder-with-past model (backend-onnx's exportOnnxWithCache; the names transformers.js and
// Optimum use) driven one step at a time: the keys and values a step returns (`present.{i}.*`)
// are the next step's `past_key_values.{i}.*`, so a step runs only the new tokens.

const past = (i: number, part: 'key' | 'value') => `past_key_values.${i}.${part}`;
const present = (i: number, part: 'key' | 'value') => `present.${i}.${part}`;
/** Where exportOnnxWithCache writes the size of the position table. */
const CONTEXT_LENGTH_KEY = 'netspec.context_length';

/**
 * A TokenScorer (batch 1) over a runner of a decoder-with-past model whose graph `summary`
 * describes; a graph without the cache inputs and outputs is a `WebSessionError` naming them.
 */
export function cachedScorer(
  runner: ModelRunner,
  summary: OnnxSummary,
  source = 'model',
): TokenScorer {
  const inputs = new Map(summary.inputs.map((v) => [v.name, v]));
  const want = (ok: boolean, what: string) => {
    if (!ok) {
      throw new WebSessionError(
        `${source}: expected a decoder-with-past model (exportOnnxWithCache) with ${what}; it has inputs ${[...inputs.keys()].join(', ')}`,
      );
    }
  };
  want(inputs.has('input_ids') && inputs.has('attention_mask'), 'inputs input_ids, attention_mask');
  const vocabularySize = summary.outputs.find((o) => o.name === 'logits')?.shape[2];
  want(typeof vocabularySize === 'number', 'output logits of shape [batch, sequence, vocabulary]');
  const layers: { heads: number; headDim: number }[] = [];
  for (let i = 0; inputs.has(past(i, 'key')); i++) {
    const [, heads, , headDim] = inputs.get(past(i, 'key'))?.shape ?? [];
    want(
      typeof heads === 'number' && typeof headDim === 'number' && inputs.has(past(i, 'value')),
      `past_key_values.${i}.key/.value of fixed heads and head size`,
    );
    layers.push({ heads: heads as number, headDim: headDim as number });
  }
  want(layers.length > 0, 'inputs past_key_values.{i}.key/.value');
  const V = vocabularySize as number;
  const declared = Number(summary.metadata[CONTEXT_LENGTH_KEY]);
  const contextLength = declared > 0 ? declared : Number.POSITIVE_INFINITY;
  const positions = inputs.has('position_ids');
  // (1, heads, 0, head_dim): the cache before the first step.
  const empty = () =>
    Object.fromEntries(
      layers.flatMap(({ heads, headDim }, i) =>
        (['key', 'value'] as const).map((part) => [
          past(i, part),
          { data: new Float32Array(0), shape: [1, heads, 0, headDim] },
        ]),
      ),
    ) as Record<string, RunnerTensor>;
  let cache = empty();
  let length = 0;
  return {
    engine: runner.engine,
    vocabularySize: V,
    contextLength,
    cached: true,
    get length() {
      return length;
    },
    async append(tokens) {
      if (tokens.length === 0) throw new RangeError('append: expected at least one token id');
      tokens.forEach((t, i) => {
        if (!(Number.isInteger(t) && t >= 0 && t < V)) {
          throw new RangeError(`append: tokens[${i}]: expected an id in [0, ${V - 1}], got ${t}`);
        }
      });
      if (length + tokens.length > contextLength) {
        throw new RangeError(
          `append: ${length} held + ${tokens.length} new positions pass the context length ${contextLength}`,
        );
      }
      const t = tokens.length;
      const row = (values: number[]) => ({
        data: Int32Array.from(values),
        shape: [1, values.length],
      });
      const feeds: Record<string, RunnerTensor> = {
        ...cache,
        input_ids: row([...tokens]),
        attention_mask: row(Array(length + t).fill(1)),
        ...(positions
          ? { position_ids: row(Array.from({ length: t }, (_, i) => length + i)) }
          : {}),
      };
      const out = await runner.run(feeds);
      const next: Record<string, RunnerTensor> = {};
      layers.forEach((_, i) => {
        for (const part of ['key', 'value'] as const) {
          next[past(i, part)] = out[present(i, part)] as RunnerTensor;
        }
      });
      cache = next;
      length += t;
      // (1, T, V): the last position's row.
      return Float32Array.from((out.logits?.data ?? []).slice((t - 1) * V, t * V));
    },
    reset() {
      cache = empty();
      length = 0;
    },
    dispose: () => runner.dispose(),
  };
}
