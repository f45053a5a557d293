import { deriveSeed, Rng } from '../random.js';
import { tf } from '../tf.js';
import { activate } from './activations.js';
import type { LayerImpl } from './kind.js';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** The one input of a single-input layer. */
const only = (inputs: tf.Tensor[]) => inputs[0] as tf.Tensor;

/** A Keras axis (batch is 0, negatives count from the end) as a tensor axis. */
const axisOf = (axis: number, rank: number) => (axis < 0 ? rank + axis : axis);

/**
 * Keras's `noise_shape` counts the batch axis; the spec's other shapes do not, so both lengths
 * are read. A null entry takes the input's dimension.
 */
function noiseShape(noise: readonly (number | null)[] | undefined, shape: number[]): number[] {
  if (!noise) return shape;
  const full = noise.length === shape.length - 1 ? [null, ...noise] : noise;
  if (full.length !== shape.length)
    throw new Error(`dropout: noiseShape [${noise.join(', ')}] does not fit input [${shape}]`);
  return full.map((d, i) => d ?? (shape[i] as number));
}

/** Inverted dropout's mask: 1/(1-rate) where kept, 0 where dropped (netspec's own RNG). */
function dropMask(shape: number[], rate: number, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  const scale = 1 / (1 - rate);
  const values = new Float32Array(product(shape));
  // TF keeps a unit where its uniform draw is >= rate.
  for (let i = 0; i < values.length; i++) values[i] = rng.next() >= rate ? scale : 0;
  return tf.tensor(values, shape, 'float32');
}

/** Elements [start, end) every `step` along `axis`, with Python's clamping of the bounds. */
function sliceAxis(x: tf.Tensor, axis: number, start: number, end: number | undefined, step = 1) {
  const len = x.shape[axis] as number;
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? len + i : i, 0), len);
  const from = clamp(start);
  const to = end === undefined ? len : clamp(end);
  const count = Math.max(Math.ceil((to - from) / step), 0);
  if (step === 1) {
    const begin = x.shape.map((_, i) => (i === axis ? from : 0));
    const size = x.shape.map((d, i) => (i === axis ? count : d));
    return tf.slice(x, begin, size);
  }
  // StridedSlice has no gradient in tfjs; a gather of the kept indices does.
  const indices = tf.range(from, from + count * step, step, 'int32');
  return tf.gather(x, indices, axis);
}

/** The core family on tfjs. */
export const coreImpls = {
  dense: {
    apply(c, inputs, ctx) {
      const x = only(inputs);
      const lead = x.shape.slice(0, -1);
      const inDim = x.shape[x.rank - 1] as number;
      // (N, in): every leading axis folded into one, so one 2-D matmul serves any rank
      const flat = tf.reshape(x, [product(lead), inDim]);
      const z = tf.matMul(flat, ctx.weight('kernel') as tf.Tensor2D);
      const y = c.useBias ? tf.add(z, ctx.weight('bias')) : z;
      // (..., units)
      return activate(tf.reshape(y, [...lead, c.units]), c.activation);
    },
  } satisfies LayerImpl<'dense'>,

  activation: {
    apply: (c, inputs) => activate(only(inputs), c.activation),
  } satisfies LayerImpl<'activation'>,

  prelu: {
    // Keras: relu(x) - alpha * relu(-x), i.e. alpha * min(x, 0) on the negative side.
    apply(_c, inputs, ctx) {
      const x = only(inputs);
      return tf.add(tf.relu(x), tf.mul(ctx.weight('alpha'), tf.minimum(x, 0)));
    },
  } satisfies LayerImpl<'prelu'>,

  dropout: {
    apply(c, inputs, ctx) {
      const x = only(inputs);
      if (!ctx.training || c.rate === 0) return x;
      // A layer seed makes its masks differ from another layer's under the same pass seed.
      const seed = c.seed === undefined ? ctx.nextSeed() : deriveSeed(c.seed, ctx.nextSeed());
      return tf.mul(x, dropMask(noiseShape(c.noiseShape, x.shape), c.rate, seed));
    },
  } satisfies LayerImpl<'dropout'>,

  flatten: {
    apply(_c, inputs) {
      const x = only(inputs);
      // (B, prod(rest))
      return tf.reshape(x, [x.shape[0] as number, product(x.shape.slice(1))]);
    },
  } satisfies LayerImpl<'flatten'>,

  reshape: {
    // (B, ...targetShape); tfjs infers the one -1 the spec allows
    apply(c, inputs) {
      const x = only(inputs);
      return tf.reshape(x, [x.shape[0] as number, ...c.targetShape]);
    },
  } satisfies LayerImpl<'reshape'>,

  permute: {
    // Keras dims are 1-based and leave the batch in place.
    apply: (c, inputs) => tf.transpose(only(inputs), [0, ...c.dims]),
  } satisfies LayerImpl<'permute'>,

  repeatVector: {
    // (B, F) -> (B, 1, F) -> (B, n, F)
    apply: (c, inputs) => tf.tile(tf.expandDims(only(inputs), 1), [1, c.n, 1]),
  } satisfies LayerImpl<'repeatVector'>,

  embedding: {
    apply(_c, inputs, ctx) {
      const ids = only(inputs);
      // (B, ...) ids -> (B, ..., outputDim); maskZero only informs downstream masks
      return tf.gather(
        ctx.weight('embeddings'),
        ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'),
      );
    },
  } satisfies LayerImpl<'embedding'>,

  reverseEmbedding: {
    // The embedding layer's own variable: training updates one matrix from both uses.
    apply(_c, inputs, ctx) {
      const x = only(inputs);
      const lead = x.shape.slice(0, -1);
      const table = ctx.weight('embeddings') as tf.Tensor2D;
      // (N, dim) · (vocab, dim)ᵀ -> (N, vocab), every leading axis folded into N
      const flat = tf.reshape(x, [product(lead), x.shape[x.rank - 1] as number]);
      const [rows, dim] = flat.shape as [number, number];
      const vocab = table.shape[0];
      // A transposed operand is copied (wasm, see kernels/batch-mat-mul.ts): when decoding a few
      // rows, copying them and the (vocab, N) product beats copying the whole table.
      const logits =
        rows * (dim + vocab) < vocab * dim
          ? tf.transpose(tf.matMul(table, flat, false, true))
          : tf.matMul(flat, table, false, true);
      // (..., vocab)
      return tf.reshape(logits, [...lead, table.shape[0]]);
    },
  } satisfies LayerImpl<'reverseEmbedding'>,

  slice: {
    apply(c, inputs) {
      const x = only(inputs);
      const axis = axisOf(c.axis, x.rank);
      const y = sliceAxis(x, axis, c.start, c.end, c.step);
      // squeeze is a reshape that drops the one-element axis
      return c.squeeze ? tf.squeeze(y, [axis]) : y;
    },
  } satisfies LayerImpl<'slice'>,
};
