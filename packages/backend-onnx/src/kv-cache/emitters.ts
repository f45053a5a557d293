import type { CACHED_KINDS, DecoderPlan } from '@netspec/spec';
import { int64Scalar, range } from '../emit/attention/masks.js';
import {
  blockAttention,
  type ExtendKeyValues,
  featureSize,
  feedForward,
  residual,
  sineTable,
} from '../emit/attention.js';
import type { EmitContext, Emitter } from '../emit/kind.js';
import { int } from '../graph/attributes.js';
import { DataType } from '../proto/types.js';

// The decoder-with-past graph (the names transformers.js and Optimum use): the new tokens'
// positions continue after P = past_sequence_length, and every decoder's self-attention reads
// its held keys and values from past_key_values.{i}.* and writes all of them to present.{i}.*.

/** Graph inputs and outputs of the decoder-with-past graph. */
export const CACHE_NAMES = {
  ids: 'input_ids',
  mask: 'attention_mask',
  positions: 'position_ids',
  logits: 'logits',
  past: (i: number, part: 'key' | 'value') => `past_key_values.${i}.${part}`,
  present: (i: number, part: 'key' | 'value') => `present.${i}.${part}`,
} as const;

/** Values the cached layers share, each emitted once, at its first use. */
class StepValues {
  private readonly made = new Map<string, string>();

  constructor(private readonly positionIds: boolean) {}

  private once(key: string, make: () => string): string {
    let value = this.made.get(key);
    if (value === undefined) {
      value = make();
      this.made.set(key, value);
    }
    return value;
  }

  /** P, the past length: axis 2 of past_key_values.0.key, an int64 scalar. */
  past(ctx: EmitContext): string {
    return this.once('past', () => {
      const shape = ctx.op('Shape', [CACHE_NAMES.past(0, 'key')]);
      return ctx.op('Gather', [shape, int64Scalar(ctx, 'axis2', 2)], { axis: int(0) });
    });
  }

  /** P, P + 1, ..., P + T - 1: the new tokens' indices among all held positions, (T) int64. */
  indices(ctx: EmitContext): string {
    return this.once('indices', () => {
      const shape = ctx.op('Shape', [CACHE_NAMES.ids]);
      const t = ctx.op('Gather', [shape, int64Scalar(ctx, 'axis1', 1)], { axis: int(0) });
      return ctx.op('Add', [this.past(ctx), range(ctx, t)]); // (T)
    });
  }

  /** Positions of the new tokens, int64: position_ids (B, T) when the graph takes them, else the indices (T). */
  positions(ctx: EmitContext): string {
    return this.positionIds ? CACHE_NAMES.positions : this.indices(ctx);
  }

  /**
   * Where the new queries may look, (B, T, P + T) bool: key j <= query P + i (causal) and
   * attention_mask nonzero at j.
   */
  keep(ctx: EmitContext): string {
    return this.once('keep', () => {
      const rows = ctx.op('Unsqueeze', [this.indices(ctx), ctx.int64s('axes_02', [0, 2])]); // (1, T, 1)
      const s = ctx.op(
        'Gather',
        [ctx.op('Shape', [CACHE_NAMES.mask]), int64Scalar(ctx, 'axis1', 1)],
        {
          axis: int(0),
        },
      );
      const cols = ctx.op('Unsqueeze', [range(ctx, s), ctx.int64s('axes_01', [0, 1])]); // (1, 1, S)
      const causal = ctx.op('GreaterOrEqual', [rows, cols]); // (1, T, S)
      const zero = ctx.graph.int64s(`${ctx.node.path}/zero_i64`, [0], []);
      const seen = ctx.op('Not', [ctx.op('Equal', [CACHE_NAMES.mask, zero])]); // (B, S)
      const padding = ctx.op('Unsqueeze', [seen, ctx.int64s('axes_1', [1])]); // (B, 1, S)
      return ctx.op('And', [causal, padding]); // (B, T, S)
    });
  }
}

type CachedKind = (typeof CACHED_KINDS)[number];

/**
 * Emitters of the kinds that see the sequence axis, continued from the cache; every other kind
 * of a cache plan works per position and keeps its usual emitter.
 */
export function cachedEmitters(
  plan: DecoderPlan,
  positionIds: boolean,
): { [K in CachedKind]: Emitter<K> } {
  const step = new StepValues(positionIds);
  return {
    tokenAndPositionEmbedding: {
      // Gather of the token table plus the position table's rows at the new positions.
      emit(_c, inputs, ctx) {
        const table = ctx.weight('token_embedding.embeddings');
        const tokens = ctx.op('Gather', [table, inputs[0] as string], { axis: int(0) }); // (B, T, E)
        const positions = ctx.op(
          'Gather',
          [ctx.weight('position_embedding.embeddings'), step.positions(ctx)],
          { axis: int(0) },
        ); // (T, E) or (B, T, E)
        return [ctx.op('Add', [tokens, positions], {}, ctx.outputName())];
      },
    },
    positionEmbedding: {
      emit(_c, inputs, ctx) {
        const x = inputs[0] as string;
        const rows = ctx.op('Gather', [ctx.weight('embeddings'), step.positions(ctx)], {
          axis: int(0),
        }); // (T, D) or (B, T, D)
        return [ctx.op('Expand', [rows, ctx.op('Shape', [x])], {}, ctx.outputName())];
      },
    },
    sinusoidalPositionEncoding: {
      emit(c, inputs, ctx) {
        const x = inputs[0] as string;
        const d = featureSize(ctx, 0);
        const steps = ctx.op('Cast', [step.positions(ctx)], { to: int(DataType.FLOAT) });
        const table = sineTable(ctx, steps, d, c.maxWavelength); // (T, D) or (B, T, D)
        return [ctx.op('Expand', [table, ctx.op('Shape', [x])], {}, ctx.outputName())];
      },
    },
    transformerDecoder: {
      emit(c, inputs, ctx) {
        const x = inputs[0] as string;
        const d = featureSize(ctx, 0);
        const i = plan.decoders.indexOf(ctx.node);
        // past (B, h, P, d) ++ new (B, h, T, d) -> present (B, h, P + T, d)
        const extend: ExtendKeyValues = (key, value) => [
          ctx.op(
            'Concat',
            [CACHE_NAMES.past(i, 'key'), key],
            { axis: int(2) },
            CACHE_NAMES.present(i, 'key'),
          ),
          ctx.op(
            'Concat',
            [CACHE_NAMES.past(i, 'value'), value],
            { axis: int(2) },
            CACHE_NAMES.present(i, 'value'),
          ),
        ];
        const attn = blockAttention(ctx, c, d, 'selfAttention', step.keep(ctx), undefined, extend);
        const y = residual(ctx, c, 'selfAttentionNorm', x, attn);
        return [residual(ctx, c, 'ffnNorm', y, feedForward(ctx, c, d), ctx.outputName())];
      },
    },
  };
}
