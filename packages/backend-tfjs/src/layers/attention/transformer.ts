import { tf } from '../../tf.js';
import { activate } from '../activations.js';
import type { ApplyContext, ConfigOf, LayerImpl, WeightPolicy } from '../kind.js';
import { type ExtendKeyValues, type HeadOptions, type Keep, multiHead } from './mha.js';
import { attendable, dropout, layerNorm, project } from './ops.js';

/** The options keras-hub's TransformerEncoder and TransformerDecoder share. */
type BlockConfig = ConfigOf<'transformerEncoder'> | ConfigOf<'transformerDecoder'>;

/** Norms start as the identity; dense and attention weights follow the block's initializers. */
function blockWeight(c: BlockConfig, name: string): WeightPolicy {
  const last = name.slice(name.lastIndexOf('.') + 1);
  if (last === 'gamma') return { initializer: 'ones' };
  if (last === 'beta') return { initializer: 'zeros' };
  return { initializer: last === 'bias' ? c.biasInitializer : c.kernelInitializer };
}

/** What every part of one block call needs: the block's options and the apply context. */
interface Block {
  c: BlockConfig;
  ctx: ApplyContext;
}

/** One residual sub-block: x + dropout(body(x)), normalized before body (pre-norm) or after. */
function residual(b: Block, norm: string, x: tf.Tensor, body: (x: tf.Tensor) => tf.Tensor) {
  const { c, ctx } = b;
  const normalize = (y: tf.Tensor) =>
    layerNorm(y, ctx.weight(`${norm}.gamma`), ctx.weight(`${norm}.beta`), c.layerNormEpsilon);
  const sum = tf.add(dropout(body(c.normalizeFirst ? normalize(x) : x), c.dropout, ctx), x);
  return c.normalizeFirst ? sum : normalize(sum);
}

/** keras-hub's attention in a block: keyDim = valueDim = D / heads, biased, dropout on probs. */
function attention(
  b: Block,
  prefix: string,
  keep: Keep,
  source?: tf.Tensor,
  extend?: ExtendKeyValues,
) {
  return (x: tf.Tensor) => {
    const keyDim = (x.shape[2] as number) / b.c.numHeads;
    const options: HeadOptions = { keyDim, useBias: true, dropout: b.c.dropout };
    const kv = source ?? x;
    return multiHead([x, kv, kv], keep, options, b.ctx, `${prefix}.`, extend);
  };
}

/** keras-hub's feed-forward network: dense(intermediateDim, activation), then dense(D). */
function feedForward({ c, ctx }: Block) {
  const dense = (x: tf.Tensor, name: string) =>
    project(x, ctx.weight(`ffn.${name}.kernel`), ctx.weight(`ffn.${name}.bias`));
  return (x: tf.Tensor) => dense(activate(dense(x, 'intermediate'), c.activation), 'output');
}

/** Where queries of a (B, T, D) sequence may look among `s` keys, per a spec mask field. */
function keepOf(
  { ctx }: Block,
  field: 'paddingMask' | 'encoderPaddingMask',
  set: string | undefined,
  x: tf.Tensor,
  s: number,
  causal: boolean,
): Keep {
  const mask = set ? ctx.refs[field] : undefined;
  return attendable(mask, x.shape[1] as number, s, causal);
}

export const transformerEncoder: LayerImpl<'transformerEncoder'> = {
  weight: blockWeight,
  apply(c, [input], ctx) {
    const b = { c, ctx };
    const x = input as tf.Tensor;
    const t = x.shape[1] as number;
    const keep = keepOf(b, 'paddingMask', c.paddingMask, x, t, c.useCausalMask);
    const y = residual(b, 'selfAttentionNorm', x, attention(b, 'selfAttention', keep));
    return residual(b, 'ffnNorm', y, feedForward(b));
  },
};

/** A decoder's self-attention KV cache for one call: `past` positions held before the input's. */
export interface DecoderCache {
  past: number;
  /** Joins the new positions' keys and values to the held ones (and holds the result). */
  extend: ExtendKeyValues;
}

/**
 * A transformerDecoder without cross-attention or padding mask over the new positions x
 * (B, T, D) that follow `cache.past` held ones: causal self-attention over all past + T keys.
 */
export function transformerDecoderStep(
  c: ConfigOf<'transformerDecoder'>,
  x: tf.Tensor,
  ctx: ApplyContext,
  cache: DecoderCache,
): tf.Tensor {
  const b = { c, ctx };
  const t = x.shape[1] as number;
  const keep = attendable(undefined, t, cache.past + t, true, cache.past);
  const attn = attention(b, 'selfAttention', keep, undefined, cache.extend);
  return residual(b, 'ffnNorm', residual(b, 'selfAttentionNorm', x, attn), feedForward(b));
}

export const transformerDecoder: LayerImpl<'transformerDecoder'> = {
  weight: blockWeight,
  apply(c, [input, encoder], ctx) {
    const b = { c, ctx };
    const x = input as tf.Tensor;
    // keras-hub's decoder self-attention is always causal.
    const keep = keepOf(b, 'paddingMask', c.paddingMask, x, x.shape[1] as number, true);
    let y = residual(b, 'selfAttentionNorm', x, attention(b, 'selfAttention', keep));
    if (encoder) {
      const s = encoder.shape[1] as number;
      const cross = keepOf(b, 'encoderPaddingMask', c.encoderPaddingMask, x, s, false);
      y = residual(b, 'crossAttentionNorm', y, attention(b, 'crossAttention', cross, encoder));
    }
    return residual(b, 'ffnNorm', y, feedForward(b));
  },
};
