import { tf } from '../tf.js';
import { viewsMatMul } from './batch-mat-mul-views.js';
import { asWasmBackend } from './matmul-wasm-heap.js';

type MatMulAttrs = {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
  leakyreluAlpha?: number;
};

/** A fused kernel's activation as tf ops (names of tfjs's fused activations). */
function activate(x: tf.Tensor, attrs: MatMulAttrs, prelu?: tf.Tensor): tf.Tensor {
  switch (attrs.activation ?? 'linear') {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leakyrelu':
      return tf.leakyRelu(x, attrs.leakyreluAlpha ?? 0.2);
    case 'prelu':
      return tf.prelu(x, prelu as tf.Tensor);
    default:
      throw new Error(`fused matMul: unknown activation ${attrs.activation}`);
  }
}

/**
 * Rows per batch entry from which one XNNPACK product per entry beats tfjs-wasm's scalar batched
 * loop. Each entry packs its right operand (~4 ns per element of it) besides the product; with
 * fewer rows the packing costs more than the scalar loop saves (measured on 1024 entries of
 * 1x64 by 64x32: 8.6 ms per-entry XNNPACK against 2.6 ms scalar; 64x64 by 64x32: 1.0 against
 * 7.7 ms).
 */
const MIN_ROWS_FOR_VIEWS = 8;

const product = (dims: readonly number[]) => dims.reduce((x, y) => x * y, 1);

/** Swaps the last two axes. */
const swapLast = (t: tf.Tensor) => {
  const perm = [...Array(t.rank).keys()];
  perm.push(...perm.splice(-2).reverse());
  return tf.transpose(t, perm);
};

/**
 * Replaces tfjs-backend-wasm 4.22's BatchMatMul and _FusedMatMul (`original`), whose fast XNNPACK
 * path covers only batch-1 products without transposes:
 * - transposeA/transposeB run 10-25x slower (x^T·dy for a 784x512 dense gradient: 71 ms against
 *   4 ms with an explicit transpose), and every dense gradient asks for one: operands are
 *   transposed first;
 * - a batched product whose right operand is shared by the whole batch (a dense layer on
 *   (B, T, D)) is one 2-D product of the stacked rows;
 * - other batched products (attention's (B·h, T, d) x (B·h, d, T)) run one XNNPACK product per
 *   batch entry over views of the heap (batch-mat-mul-views.ts), 5-7x faster than the scalar loop;
 * - batch broadcasting, which the original gets wrong (a (3, 5, 4) x (1, 4, 6) product reads
 *   past b for entries 1 and 2), is resolved before the original sees it.
 * _FusedMatMul with a bias or an activation keeps the original after the transposes (a shared
 * right operand stacked as above).
 */
export function plainLayoutMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const attrs = args.attrs as unknown as MatMulAttrs;
    const inputs = args.inputs as { a: tf.Tensor; b: tf.Tensor; bias?: tf.Tensor };
    const { a, b } = inputs;
    const prelu = (args.inputs as { preluActivationWeights?: tf.TensorInfo })
      .preluActivationWeights;
    const fused =
      inputs.bias !== undefined ||
      prelu !== undefined ||
      (attrs.activation !== undefined && attrs.activation !== 'linear');
    // wasm's fused kernel checks the bias rank of the data as first written, not of the input:
    // a reshaped (heads, dim) bias fails. A rank-1 copy (a few hundred floats) gets past it.
    const bias = inputs.bias && rank1Data(args.backend as tf.KernelBackend, inputs.bias);
    if (bias && bias !== inputs.bias) {
      try {
        return plainLayoutMatMul(original)({ ...args, inputs: { ...args.inputs, bias } });
      } finally {
        (args.backend as tf.KernelBackend).disposeData(bias.dataId);
      }
    }
    // One entry (2-D, or tfjs-core's fused op's (1, M, K)): the original's XNNPACK path as is.
    const entries = Math.max(product(a.shape.slice(0, -2)), product(b.shape.slice(0, -2)));
    if (!attrs.transposeA && !attrs.transposeB && entries <= 1) return original(args);
    const backend = args.backend as tf.KernelBackend;
    const held: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T) => {
      held.push(t);
      return t;
    };
    const wrap = (info: tf.TensorInfo) => {
      backend.incRef(info.dataId);
      return keep(tf.engine().makeTensorFromTensorInfo(info, backend));
    };
    try {
      if (packsLess(a, b, attrs, fused)) {
        // (a^T b) = (b^T a)^T: XNNPACK packs its right operand for every product (~3-7 ns per
        // element, more than a transpose), so the smaller one, a, goes right.
        const outT = run1(original, args, keep(swapLast(wrap(b))), wrap(a), backend);
        return swapLast(keep(outT));
      }
      const pa = attrs.transposeA ? keep(swapLast(wrap(a))) : wrap(a);
      const pb = attrs.transposeB ? keep(swapLast(wrap(b))) : wrap(b);
      const plain = { ...args.attrs, transposeA: false, transposeB: false };
      const run = (x: tf.Tensor, y: tf.Tensor) =>
        // Both kernels have one output.
        original({
          ...args,
          inputs: { ...args.inputs, a: x, b: y },
          attrs: plain,
        }) as tf.TensorInfo;
      if (!fused) return batchedProduct(pa, pb, backend, keep, run);
      // wasm's fused kernel adds a rank-1 bias correctly only on its XNNPACK path (its scalar
      // loop reads bias[min(i·P + j, P - 1)]): a shared b makes one stacked 2-D product with
      // the bias fused; otherwise the product comes first and bias and activation follow.
      const stackable = prelu === undefined && (inputs.bias?.shape.length ?? 1) === 1;
      if (stackable && product(pb.shape.slice(0, -2)) === 1)
        return batchedProduct(pa, pb, backend, keep, run);
      const plainRun = (x: tf.Tensor, y: tf.Tensor) =>
        original({
          ...args,
          inputs: { a: x, b: y },
          attrs: { ...plain, activation: 'linear' },
        }) as tf.TensorInfo;
      const raw = batchedProduct(pa, pb, backend, keep, plainRun);
      const z = keep(tf.engine().makeTensorFromTensorInfo(raw, backend));
      const withBias = inputs.bias ? keep(tf.add(z, wrap(inputs.bias))) : z;
      const y = activate(withBias, attrs, prelu && wrap(prelu));
      // The output outlives the tensors held here.
      return held.includes(y) ? y.clone() : y;
    } finally {
      tf.dispose(held);
    }
  };
}

/**
 * A 2-D a^T·b whose b is larger than a and the output together (a dense weight gradient x^T·dy
 * with more units out than in): computed as (b^T·a)^T, which packs a instead of b.
 */
function packsLess(a: tf.TensorInfo, b: tf.TensorInfo, attrs: MatMulAttrs, fused: boolean) {
  if (fused || !attrs.transposeA || attrs.transposeB) return false;
  if (a.shape.length !== 2 || b.shape.length !== 2) return false;
  const [k, m] = a.shape as [number, number];
  const n = b.shape[1] as number;
  return k * n > k * m + m * n;
}

/** The original 2-D product a·b as a tensor. */
function run1(
  original: tf.KernelFunc,
  args: Parameters<tf.KernelFunc>[0],
  a: tf.Tensor,
  b: tf.Tensor,
  backend: tf.KernelBackend,
): tf.Tensor {
  const attrs = { ...args.attrs, transposeA: false, transposeB: false };
  const out = original({ ...args, inputs: { a, b }, attrs }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(out, backend);
}

/** `t` itself, or on wasm when its data was written with another rank, a rank-1 copy of it. */
function rank1Data(backend: tf.KernelBackend, t: tf.TensorInfo): tf.TensorInfo {
  const wasm = asWasmBackend(backend);
  if (!wasm || t.shape.length !== 1 || wasm.dataIdMap.get(t.dataId).shape.length === 1) return t;
  const copy = wasm.makeOutput([...t.shape], t.dtype);
  wasm.typedArrayFromHeap(copy).set(wasm.typedArrayFromHeap(t));
  return copy;
}

/** a (...A, M, K) times b (...B, K, P), plain layout, on the fastest exact route. */
function batchedProduct(
  a: tf.Tensor,
  b: tf.Tensor,
  backend: tf.KernelBackend,
  keep: <T extends tf.Tensor>(t: T) => T,
  original: (a: tf.Tensor, b: tf.Tensor) => tf.TensorInfo,
): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const p = b.shape[b.rank - 1] as number;
  const aOuter = a.shape.slice(0, -2);
  const bOuter = b.shape.slice(0, -2);
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(aOuter, bOuter);
  const outShape = [...outer, m, p];
  const reshaped = (info: tf.TensorInfo) => {
    info.shape = outShape;
    return info;
  };
  // One entry: the original's XNNPACK path as is (no reshapes: each kernel call costs ~20 us).
  if (product(aOuter) <= 1 && product(bOuter) <= 1) return reshaped(original(a, b));
  if (product(bOuter) === 1) {
    // b is shared by every entry: one product of all rows, (N·M, K) x (K, P).
    const rows = keep(tf.reshape(a, [1, product(aOuter) * m, k]));
    return reshaped(original(rows, keep(tf.reshape(b, [1, k, p]))));
  }
  const wasm = asWasmBackend(backend);
  if (wasm && m >= MIN_ROWS_FOR_VIEWS) return viewsMatMul(wasm, a, b, outer);
  // The scalar loop, on operands broadcast to the full batch (it cannot broadcast itself).
  const full = (t: tf.Tensor, dims: number[]) =>
    product(dims) === product(outer)
      ? t
      : keep(tf.broadcastTo(t, [...outer, ...t.shape.slice(-2)]));
  return reshaped(original(full(a, aOuter), full(b, bOuter)));
}
