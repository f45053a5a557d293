import type { Tensor } from '@netspec/spec';
import { int } from '../../graph/attributes.js';
import { DataType } from '../../proto/types.js';
import type { EmitContext } from '../kind.js';

// Attention masks from standard ops: Keras's convention, score + (1 - keep) * -1e9 before the
// softmax; causal masks from Range over the lengths read at run time.

/** Keras's stand-in for -inf at masked scores in float32. */
const MASKED_SCORE = -1e9;

/** An int64 scalar (rank 0) constant under this layer's path. */
export const int64Scalar = (ctx: EmitContext, base: string, value: number) =>
  ctx.graph.int64s(`${ctx.node.path}/${base}`, [value], []);

/** The length of axis 1 of `x` as an int64 scalar (for Range). */
export function lengthOf(ctx: EmitContext, x: string): string {
  return ctx.op('Gather', [ctx.op('Shape', [x]), int64Scalar(ctx, 'axis1', 1)], { axis: int(0) });
}

/** 0, 1, ..., n - 1 (n an int64 scalar), int64. */
export const range = (ctx: EmitContext, n: string) =>
  ctx.op('Range', [int64Scalar(ctx, 'zero_i', 0), n, int64Scalar(ctx, 'one_i', 1)]);

/** Keras's causal mask: query i may look at key j <= i, (1, Tq, S) bool. */
function causalKeep(ctx: EmitContext, query: string, key: string): string {
  const rows = ctx.op('Unsqueeze', [
    range(ctx, lengthOf(ctx, query)),
    ctx.int64s('axes_02', [0, 2]),
  ]);
  const cols = ctx.op('Unsqueeze', [range(ctx, lengthOf(ctx, key)), ctx.int64s('axes_01', [0, 1])]);
  return ctx.op('GreaterOrEqual', [rows, cols]);
}

/** A mask tensor named by `field`, with the field so its graph value can be found. */
export function maskRef(ctx: EmitContext, field: string): (Tensor & { field: string }) | undefined {
  const t = ctx.node.refs[field];
  return t ? { ...t, field } : undefined;
}

/**
 * Where attention may look, bool, broadcasting as (B|1, Tq|1, S): the spec's mask (B, S) or
 * (B, Tq, S) is nonzero there, and key j <= query i when causal. Undefined: everywhere.
 */
export function attendable(
  ctx: EmitContext,
  mask: (Tensor & { field: string }) | undefined,
  query: string,
  key: string,
  causal: boolean,
): string | undefined {
  let keep: string | undefined;
  if (mask) {
    // The mask's graph value (a dropout before it emits no node, so it may not be its name).
    let m = ctx.refs[mask.field] ?? mask.name;
    if (mask.dtype !== 'float32') m = ctx.op('Cast', [m], { to: int(DataType.FLOAT) });
    if (mask.shape.length === 1) m = ctx.op('Unsqueeze', [m, ctx.int64s('axes_1', [1])]);
    keep = ctx.op('Not', [ctx.op('Equal', [m, ctx.scalar('zero', 0)])]);
  }
  if (causal) {
    const c = causalKeep(ctx, query, key);
    keep = keep ? ctx.op('And', [keep, c]) : c;
  }
  return keep;
}

/** Keras's masked softmax over the last axis: hidden scores get -1e9 added first. */
export function maskedSoftmax(ctx: EmitContext, scores: string, keep: string | undefined): string {
  let s = scores;
  if (keep) {
    const hidden = ctx.op('Cast', [ctx.op('Not', [keep])], { to: int(DataType.FLOAT) });
    s = ctx.op('Add', [s, ctx.op('Mul', [hidden, ctx.scalar('masked', MASKED_SCORE)])]);
  }
  return ctx.op('Softmax', [s], { axis: int(-1) });
}
