import type { Activation } from '@netspec/spec';
import { float, int, ints } from '../graph/attributes.js';
import { DataType } from '../proto/types.js';
import { emitActivation } from './activations.js';
import { attendable, lengthOf, maskedSoftmax, maskRef, range } from './attention/masks.js';
import type { EmitContext, Emitter } from './kind.js';

// Attention at opset 17 from standard ops (DESIGN.md "ONNX export"): MatMul, Reshape,
// Transpose, Softmax, masks as score + (1 - keep) * -1e9 (Keras), LayerNormalization, Gather.
// Sequence lengths may be free: every length is read at run time with Shape.

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The first T rows of a (sequenceLength, D) table, T being axis 1 of `x`: (T, D). */
function firstRows(ctx: EmitContext, table: string, x: string): string {
  const t = ctx.op('Shape', [x], { start: int(1), end: int(2) }); // [T]
  return ctx.op('Slice', [table, ctx.int64s('starts', [0]), t, ctx.int64s('axes', [0])]);
}

/** A kernel of Keras layout `shape` as a (rows, cols) matrix initializer (same values). */
function matrix(ctx: EmitContext, name: string, rows: number): string {
  const param = ctx.node.params.find((p) => p.name === name);
  const size = product(param?.shape ?? []);
  return ctx.graph.initializer(`${ctx.node.path}.${name}`, ctx.weightData(name), [
    rows,
    size / rows,
  ]);
}

/** A bias as a flat vector initializer (same values). */
function vector(ctx: EmitContext, name: string): string {
  const data = ctx.weightData(name);
  return ctx.graph.initializer(`${ctx.node.path}.${name}`, data, [data.length]);
}

/** x (..., in) · kernel (in, out) + bias, from a Keras dense-like weight pair. */
function dense(ctx: EmitContext, x: string, name: string, rows: number, useBias: boolean): string {
  const y = ctx.op('MatMul', [x, matrix(ctx, `${name}.kernel`, rows)]);
  return useBias ? ctx.op('Add', [y, vector(ctx, `${name}.bias`)]) : y;
}

interface HeadOptions {
  heads: number;
  keyDim: number;
  valueDim: number;
  useBias: boolean;
  /** Feature sizes of query, value and key. */
  dims: [number, number, number];
  /** The output's feature shape. */
  output: number[];
}

/**
 * Sine/cosine encodings of float positions (..., T): (..., T, D).
 * angle(p, i) = p · (1/maxWavelength)^(2·floor(i/2)/D); sin on even i, cos on odd i
 */
export function sineTable(ctx: EmitContext, positions: string, d: number, maxWavelength: number) {
  const timescales = Float32Array.from({ length: d }, (_, i) =>
    Math.fround((1 / maxWavelength) ** ((2 * Math.floor(i / 2)) / d)),
  );
  const cosMask = Float32Array.from({ length: d }, (_, i) => i % 2);
  const path = ctx.node.path;
  const ts = ctx.graph.initializer(`${path}/timescales`, timescales, [1, d]);
  const odd = ctx.graph.initializer(`${path}/cos_mask`, cosMask, [d]);
  const even = ctx.graph.initializer(
    `${path}/sin_mask`,
    cosMask.map((m) => 1 - m),
    [d],
  );
  const column = ctx.op('Unsqueeze', [positions, ctx.int64s('axes_last', [-1])]); // (..., T, 1)
  const angles = ctx.op('Mul', [column, ts]); // (..., T, D)
  const sines = ctx.op('Mul', [ctx.op('Sin', [angles]), even]);
  return ctx.op('Add', [sines, ctx.op('Mul', [ctx.op('Cos', [angles]), odd])]);
}

/**
 * A KV cache's hook: heads-first keys and values of the new positions (B, h, T, d) in, those of
 * every position (B, h, past + T, d) out.
 */
export type ExtendKeyValues = (key: string, value: string) => [string, string];

/**
 * Keras MultiHeadAttention with weights `<prefix>query.kernel` & co.: (B, Tq, ...output).
 * `extend` (a KV cache) joins past keys and values to the new ones before the scores.
 */
function multiHead(
  ctx: EmitContext,
  [query, value, key]: [string, string, string],
  keep: string | undefined,
  o: HeadOptions,
  prefix: string,
  output?: string,
  extend?: ExtendKeyValues,
): string {
  // (B, T, D) -> (B, T, heads * dim) -> (B, T, heads, dim) -> (B, heads, T, dim)
  const heads = (x: string, name: string, rows: number, dim: number) => {
    const p = dense(ctx, x, `${prefix}${name}`, rows, o.useBias);
    const split = ctx.op('Reshape', [p, ctx.int64s('heads_shape', [0, 0, o.heads, dim])]);
    return ctx.op('Transpose', [split], { perm: ints([0, 2, 1, 3]) });
  };
  const qh = heads(query, 'query', o.dims[0], o.keyDim);
  const q = ctx.op('Mul', [qh, ctx.scalar('scale', 1 / Math.sqrt(o.keyDim))]);
  const newKey = heads(key, 'key', o.dims[2], o.keyDim);
  const newValue = heads(value, 'value', o.dims[1], o.valueDim);
  const [k, v] = extend ? extend(newKey, newValue) : [newKey, newValue]; // (B, h, S, d)
  const kt = ctx.op('Transpose', [k], { perm: ints([0, 1, 3, 2]) }); // (B, h, kd, S)
  const scores = ctx.op('MatMul', [q, kt]); // (B, h, Tq, S)
  const mask = keep && ctx.op('Unsqueeze', [keep, ctx.int64s('axes_1', [1])]);
  const probs = maskedSoftmax(ctx, scores, mask);
  const mixed = ctx.op('Transpose', [ctx.op('MatMul', [probs, v])], { perm: ints([0, 2, 1, 3]) });
  const merged = ctx.op('Reshape', [
    mixed,
    ctx.int64s('merge_shape', [0, 0, o.heads * o.valueDim]),
  ]); // (B, Tq, h * vd)
  const rows = o.heads * o.valueDim;
  const y = ctx.op('MatMul', [merged, matrix(ctx, `${prefix}output.kernel`, rows)]);
  const flat = o.output.length === 1 ? output : undefined;
  const z = o.useBias
    ? ctx.op('Add', [y, vector(ctx, `${prefix}output.bias`)], {}, flat)
    : flat
      ? ctx.op('Identity', [y], {}, flat)
      : y;
  if (o.output.length === 1) return z;
  return ctx.op('Reshape', [z, ctx.int64s('output_shape', [0, 0, ...o.output])], {}, output);
}

/** Query, value and key of Keras's attention layers: value defaults to query, key to value. */
function queryValueKey(inputs: string[]): [string, string, string] {
  const q = inputs[0] as string;
  const v = inputs[1] ?? q;
  return [q, v, inputs[2] ?? v];
}

/** The feature size of node input `i` (value defaults to query, key to value). */
export function featureSize(ctx: EmitContext, i: number): number {
  const ts = ctx.node.inputs;
  const t = ts[Math.min(i, ts.length - 1)];
  return t?.shape.at(-1) as number;
}

// ---- transformer blocks ---------------------------------------------------------------------

export interface BlockConfig {
  numHeads: number;
  activation: Activation;
  layerNormEpsilon: number;
  normalizeFirst: boolean;
  intermediateDim: number;
}

/** x + body(x), normalized before body (pre-norm) or after (post-norm). */
export function residual(
  ctx: EmitContext,
  c: BlockConfig,
  norm: string,
  x: string,
  body: (x: string) => string,
  output?: string,
): string {
  const normalize = (y: string, out?: string) =>
    ctx.op(
      'LayerNormalization',
      [y, ctx.weight(`${norm}.gamma`), ctx.weight(`${norm}.beta`)],
      { axis: int(-1), epsilon: float(c.layerNormEpsilon) },
      out,
    );
  if (c.normalizeFirst) return ctx.op('Add', [body(normalize(x)), x], {}, output);
  return normalize(ctx.op('Add', [body(x), x]), output);
}

/** keras-hub's attention in a block: keyDim = valueDim = D / heads, biased, output D. */
export function blockAttention(
  ctx: EmitContext,
  c: BlockConfig,
  d: number,
  prefix: string,
  keep: string | undefined,
  source?: { value: string; dim: number },
  extend?: ExtendKeyValues,
) {
  return (x: string) => {
    const keyDim = d / c.numHeads;
    const kv = source?.value ?? x;
    const s = source?.dim ?? d;
    const o: HeadOptions = {
      heads: c.numHeads,
      keyDim,
      valueDim: keyDim,
      useBias: true,
      dims: [d, s, s],
      output: [d],
    };
    return multiHead(ctx, [x, kv, kv], keep, o, `${prefix}.`, undefined, extend);
  };
}

/** keras-hub's feed-forward network: dense(intermediateDim, activation), then dense(D). */
export function feedForward(ctx: EmitContext, c: BlockConfig, d: number) {
  return (x: string) => {
    const h = dense(ctx, x, 'ffn.intermediate', d, true);
    return dense(ctx, emitActivation(ctx, h, c.activation), 'ffn.output', c.intermediateDim, true);
  };
}

/** The attention family in ONNX. */
export const attentionEmitters = {
  attention: {
    // Luong: scores q·kᵀ (× scale) or concat's w · sum(tanh(scale · (q_i + k_j)))
    emit(c, inputs, ctx) {
      const [q, v, k] = queryValueKey(inputs);
      const scale = c.useScale ? ctx.weight('scale') : undefined;
      let scores: string;
      if (c.scoreMode === 'dot') {
        scores = ctx.op('MatMul', [q, ctx.op('Transpose', [k], { perm: ints([0, 2, 1]) })]);
        if (scale) scores = ctx.op('Mul', [scores, scale]);
      } else {
        const sums = pairSums(ctx, q, k);
        const tanh = ctx.op('Tanh', [scale ? ctx.op('Mul', [scale, sums]) : sums]);
        const summed = ctx.op('ReduceSum', [tanh, ctx.int64s('sum_axes', [-1])], {
          keepdims: int(0),
        });
        scores = ctx.op('Mul', [ctx.weight('concat_score_weight'), summed]);
      }
      const probs = maskedSoftmax(ctx, scores, attendable(ctx, undefined, q, k, c.useCausalMask));
      return [ctx.op('MatMul', [probs, v], {}, ctx.outputName())];
    },
  } satisfies Emitter<'attention'>,

  additiveAttention: {
    // Bahdanau: scores sum(scale · tanh(q_i + k_j)) over features
    emit(c, inputs, ctx) {
      const [q, v, k] = queryValueKey(inputs);
      const tanh = ctx.op('Tanh', [pairSums(ctx, q, k)]);
      const scaled = c.useScale ? ctx.op('Mul', [ctx.weight('scale'), tanh]) : tanh;
      const scores = ctx.op('ReduceSum', [scaled, ctx.int64s('sum_axes', [-1])], {
        keepdims: int(0),
      });
      const probs = maskedSoftmax(ctx, scores, attendable(ctx, undefined, q, k, c.useCausalMask));
      return [ctx.op('MatMul', [probs, v], {}, ctx.outputName())];
    },
  } satisfies Emitter<'additiveAttention'>,

  multiHeadAttention: {
    emit(c, inputs, ctx) {
      const qvk = queryValueKey(inputs);
      const keep = attendable(
        ctx,
        c.paddingMask ? maskRef(ctx, 'paddingMask') : undefined,
        qvk[0],
        qvk[2],
        c.useCausalMask,
      );
      const dims: [number, number, number] = [
        featureSize(ctx, 0),
        featureSize(ctx, 1),
        featureSize(ctx, 2),
      ];
      const o: HeadOptions = {
        heads: c.numHeads,
        keyDim: c.keyDim,
        valueDim: c.valueDim ?? c.keyDim,
        useBias: c.useBias,
        dims,
        output: [c.outputShape ?? dims[0]].flat(),
      };
      return [multiHead(ctx, qvk, keep, o, '', ctx.outputName())];
    },
  } satisfies Emitter<'multiHeadAttention'>,

  positionEmbedding: {
    // The first T rows of the table, broadcast to the input (B, T, D).
    emit(_c, inputs, ctx) {
      const x = inputs[0] as string;
      const rows = firstRows(ctx, ctx.weight('embeddings'), x);
      return [ctx.op('Expand', [rows, ctx.op('Shape', [x])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'positionEmbedding'>,

  sinusoidalPositionEncoding: {
    emit(c, inputs, ctx) {
      const x = inputs[0] as string;
      const d = ctx.node.inputs[0]?.shape.at(-1) as number;
      const steps = ctx.op('Cast', [range(ctx, lengthOf(ctx, x))], { to: int(DataType.FLOAT) });
      const table = sineTable(ctx, steps, d, c.maxWavelength); // (T, D)
      return [ctx.op('Expand', [table, ctx.op('Shape', [x])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'sinusoidalPositionEncoding'>,

  tokenAndPositionEmbedding: {
    // Gather of the token table plus the first T rows of the position table.
    emit(_c, inputs, ctx) {
      const ids = inputs[0] as string;
      const tokens = ctx.op('Gather', [ctx.weight('token_embedding.embeddings'), ids], {
        axis: int(0),
      });
      const positions = firstRows(ctx, ctx.weight('position_embedding.embeddings'), ids);
      return [ctx.op('Add', [tokens, positions], {}, ctx.outputName())];
    },
  } satisfies Emitter<'tokenAndPositionEmbedding'>,

  transformerEncoder: {
    emit(c, inputs, ctx) {
      const x = inputs[0] as string;
      const d = featureSize(ctx, 0);
      const mask = c.paddingMask ? maskRef(ctx, 'paddingMask') : undefined;
      const keep = attendable(ctx, mask, x, x, c.useCausalMask);
      const attn = blockAttention(ctx, c, d, 'selfAttention', keep);
      const y = residual(ctx, c, 'selfAttentionNorm', x, attn);
      return [residual(ctx, c, 'ffnNorm', y, feedForward(ctx, c, d), ctx.outputName())];
    },
  } satisfies Emitter<'transformerEncoder'>,

  transformerDecoder: {
    emit(c, inputs, ctx) {
      const [x, encoder] = inputs as [string, string?];
      const d = featureSize(ctx, 0);
      // keras-hub's decoder self-attention is always causal.
      const mask = c.paddingMask ? maskRef(ctx, 'paddingMask') : undefined;
      const keep = attendable(ctx, mask, x, x, true);
      let y = residual(
        ctx,
        c,
        'selfAttentionNorm',
        x,
        blockAttention(ctx, c, d, 'selfAttention', keep),
      );
      if (encoder) {
        const encMask = c.encoderPaddingMask ? maskRef(ctx, 'encoderPaddingMask') : undefined;
        const cross = attendable(ctx, encMask, y, encoder, false);
        const source = { value: encoder, dim: featureSize(ctx, 1) };
        const attn = blockAttention(ctx, c, d, 'crossAttention', cross, source);
        y = residual(ctx, c, 'crossAttentionNorm', y, attn);
      }
      return [residual(ctx, c, 'ffnNorm', y, feedForward(ctx, c, d), ctx.outputName())];
    },
  } satisfies Emitter<'transformerDecoder'>,
};

/** q (B, Tq, D) and k (B, S, D) pairwise: (B, Tq, S, D) of q_i + k_j. */
function pairSums(ctx: EmitContext, q: string, k: string): string {
  const qi = ctx.op('Unsqueeze', [q, ctx.int64s('axes_2', [2])]);
  const kj = ctx.op('Unsqueeze', [k, ctx.int64s('axes_1', [1])]);
  return ctx.op('Add', [qi, kj]);
}
