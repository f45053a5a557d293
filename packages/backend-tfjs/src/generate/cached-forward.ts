import type { CACHED_KINDS, DecoderPlan, ResolvedNode } from '@netspec/spec';
import { positionRows, sinePositions } from '../layers/attention/position.js';
import { transformerDecoderStep } from '../layers/attention/transformer.js';
import type { ApplyContext, ConfigOf } from '../layers/kind.js';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';

/** One decoder's held keys and values, heads first: (1, heads, past, headDim) each. */
export interface LayerCache {
  key: tf.Tensor;
  value: tf.Tensor;
}

/** What a cached kind sees besides its config and input: where the new positions start. */
interface Step {
  past: number;
  /** The cache of this node's decoder (undefined at the first step), and where to put the new one. */
  cacheOf(node: ResolvedNode): { held: LayerCache | undefined; hold(c: LayerCache): void };
}

type CachedKind = (typeof CACHED_KINDS)[number];
type StepImpl<K extends CachedKind> = (
  c: ConfigOf<K>,
  x: tf.Tensor,
  ctx: ApplyContext,
  step: Step,
) => tf.Tensor;

/** Kinds that see the sequence axis, continued from `step.past` held positions. */
const STEP_IMPLS: { [K in CachedKind]: StepImpl<K> } = {
  tokenAndPositionEmbedding(_c, ids, ctx, { past }) {
    const tokens = tf.gather(ctx.weight('token_embedding.embeddings'), ids); // (1, T, E)
    const rows = positionRows(
      ctx.weight('position_embedding.embeddings'),
      ids.shape[1] as number,
      past,
    );
    return tf.add(tokens, rows); // (1, T, E)
  },
  positionEmbedding(_c, x, ctx, { past }) {
    const rows = positionRows(ctx.weight('embeddings'), x.shape[1] as number, past); // (T, D)
    return tf.broadcastTo(rows, x.shape); // (1, T, D)
  },
  sinusoidalPositionEncoding(c, x, _ctx, { past }) {
    const [, t, d] = x.shape as [number, number, number];
    return tf.broadcastTo(sinePositions(t, d, c.maxWavelength, past), x.shape); // (1, T, D)
  },
  transformerDecoder(c, x, ctx, step) {
    const { held, hold } = step.cacheOf(ctx.node);
    const extend = (key: tf.Tensor, value: tf.Tensor): [tf.Tensor, tf.Tensor] => {
      // (1, h, past, d) ++ (1, h, T, d) -> (1, h, past + T, d)
      const all = held
        ? { key: tf.concat([held.key, key], 2), value: tf.concat([held.value, value], 2) }
        : { key, value };
      hold(all);
      return [all.key, all.value];
    };
    return transformerDecoderStep(c, x, ctx, { past: step.past, extend });
  },
};

/** An inference-mode context of `node` whose weights are the model's own. */
function contextOf(model: NetspecModel, node: ResolvedNode): ApplyContext {
  return {
    training: false,
    node,
    refs: {},
    weight(name) {
      const w = model.weights.get(`${node.path}.${name}`);
      if (!w) throw new Error(`${node.path}: no weight "${name}"`);
      return w.variable;
    },
    assign() {},
    nextSeed: () => 0,
    applyInner() {
      throw new Error(`${node.path}: no wrapped layers in step-by-step decoding`);
    },
  };
}

/**
 * The logits (1, T, vocabulary) of new token ids (1, T) that follow `past` held positions, and
 * every decoder's cache extended by them. Call inside tf.tidy: intermediates are not disposed.
 */
export function forwardCached(
  model: NetspecModel,
  plan: DecoderPlan,
  ids: tf.Tensor,
  past: number,
  caches: readonly LayerCache[],
): { logits: tf.Tensor; caches: LayerCache[] } {
  const next: LayerCache[] = [];
  const step: Step = {
    past,
    cacheOf(node) {
      const i = plan.decoders.indexOf(node);
      const hold = (c: LayerCache) => {
        next[i] = c;
      };
      return { held: caches[i], hold };
    },
  };
  const values: Record<string, tf.Tensor> = { [plan.input.name]: ids };
  for (const node of model.resolved.nodes) {
    const kind = node.layer.type as CachedKind;
    let outs: tf.Tensor[];
    if (kind in STEP_IMPLS) {
      const impl = STEP_IMPLS[kind] as StepImpl<CachedKind>;
      const x = values[node.inputs[0]?.name as string] as tf.Tensor;
      outs = [impl(node.layer as ConfigOf<CachedKind>, x, contextOf(model, node), step)];
    } else {
      // Position-wise layers run as the model runs them, on the new positions only.
      const wanted = node.outputs.map((t) => t.name);
      const { outputs } = model.forward(values, { outputs: wanted });
      outs = wanted.map((n) => outputs[n] as tf.Tensor);
    }
    node.outputs.forEach((t, i) => {
      values[t.name] = outs[i] as tf.Tensor;
    });
  }
  return { logits: values[plan.output.name] as tf.Tensor, caches: next };
}
