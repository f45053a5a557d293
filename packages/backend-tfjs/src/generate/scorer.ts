import type { TokenScorer } from '@netspec/spec';
import { decoderPlan } from '@netspec/spec';
import { engine } from '../engine.js';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';
import { forwardCached, type LayerCache } from './cached-forward.js';

export interface TfjsScorerOptions {
  /**
   * Keep every decoder's keys and values (default true): a step computes only the new
   * positions. False recomputes the whole held sequence at every step.
   */
  cache?: boolean;
}

/** Checks that `tokens` are a non-empty list of ids below `vocabulary`. */
export function checkTokens(tokens: readonly number[], vocabulary: number): void {
  if (!Array.isArray(tokens) || tokens.length === 0)
    throw new RangeError('append: expected a non-empty array of token ids');
  tokens.forEach((t, i) => {
    if (!Number.isInteger(t) || t < 0 || t >= vocabulary)
      throw new RangeError(
        `append: tokens[${i}]: expected an integer id in [0, ${vocabulary - 1}], got ${t}`,
      );
  });
}

/** The last row of logits (1, T, V) as V numbers. */
function lastRow(logits: tf.Tensor): tf.Tensor {
  const [, t, v] = logits.shape as [number, number, number];
  return tf.reshape(tf.slice(logits, [0, t - 1, 0], [1, 1, v]), [v]); // (V)
}

/** [key0, value0, key1, value1, ...] as one cache per layer. */
const pairs = (kv: tf.Tensor[]): LayerCache[] =>
  Array.from({ length: kv.length / 2 }, (_, i) => ({
    key: kv[2 * i] as tf.Tensor,
    value: kv[2 * i + 1] as tf.Tensor,
  }));

/**
 * A causal language model on tfjs behind the TokenScorer interface (batch 1, inference mode).
 * With the cache (the default) each step runs only the new tokens' positions through the model,
 * their keys and values appended to every decoder's cache. The model stays the caller's: dispose
 * frees the cache only. Throws a DecoderPlanError for a model that is not a causal decoder.
 */
export function tfjsScorer(model: NetspecModel, options: TfjsScorerOptions = {}): TokenScorer {
  const plan = decoderPlan(model.resolved);
  const cached = options.cache ?? true;
  let held: number[] = [];
  let caches: LayerCache[] = [];
  let disposed = false;
  const forget = () => {
    tf.dispose(caches.flatMap((c) => [c.key, c.value]));
    caches = [];
    held = [];
  };
  const step = (tokens: readonly number[]): tf.Tensor => {
    if (!cached) {
      const all = [...held, ...tokens];
      const ids = tf.tensor2d([all], [1, all.length], 'int32');
      const logits = tf.tidy(() => {
        const { outputs } = model.forward(
          { [plan.input.name]: ids },
          { outputs: [plan.output.name] },
        );
        return lastRow(outputs[plan.output.name] as tf.Tensor);
      });
      ids.dispose();
      return logits;
    }
    const ids = tf.tensor2d([[...tokens]], [1, tokens.length], 'int32');
    // tidy keeps what it returns: the logits, then each layer's key and value.
    const [logits, ...kv] = tf.tidy(() => {
      const out = forwardCached(model, plan, ids, held.length, caches);
      return [lastRow(out.logits), ...out.caches.flatMap((c) => [c.key, c.value])];
    });
    ids.dispose();
    tf.dispose(caches.flatMap((c) => [c.key, c.value]));
    caches = pairs(kv);
    return logits as tf.Tensor;
  };
  return {
    engine: `tfjs-${engine()?.name ?? tf.getBackend()}`,
    vocabularySize: plan.vocabularySize,
    contextLength: plan.contextLength,
    cached,
    get length() {
      return held.length;
    },
    async append(tokens) {
      if (disposed) throw new Error('this scorer was disposed');
      checkTokens(tokens, plan.vocabularySize);
      if (held.length + tokens.length > plan.contextLength)
        throw new RangeError(
          `append: ${held.length} held + ${tokens.length} new positions pass the context length ${plan.contextLength}`,
        );
      const logits = step(tokens);
      held = [...held, ...tokens];
      const data = new Float32Array(await logits.data());
      logits.dispose();
      return data;
    },
    reset: forget,
    async dispose() {
      forget();
      disposed = true;
    },
  };
}
