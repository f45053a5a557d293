import { unaryCustomGrad } from '../custom-grad.js';
import { tf } from '../tf.js';

// Sparse categorical crossentropy with closed-form gradients. Autodiff through one-hot labels and
// a log-softmax runs ~15 kernels over the whole (N, C) logits, among them the gradient of the
// max shift (a broadcast Equal, 13x slower on wasm than on equal shapes, 6% of a small GPT's
// step), whose contribution is zero anyway. Here the forward reads the label's entry with one
// gather and the backward is softmax - onehot.

/** The labels as int32 (N), and the flat (N·C) index of each row's label entry: row·C + label. */
function labelEntries(labels: tf.Tensor, classes: number): [tf.Tensor, tf.Tensor] {
  const n = labels.size;
  const ints = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
  const flat = tf.reshape(ints, [n]);
  return [flat, tf.add(tf.range(0, n * classes, classes, 'int32'), flat)];
}

/** One-hot float32 rows (wasm's OneHot ignores the dtype, so it is cast separately). */
const oneHotRows = (flat: tf.Tensor, classes: number) =>
  tf.cast(tf.oneHot(flat, classes), 'float32');

/**
 * Per-sample -sum(t log softmax(x)) for integer labels (shape of x without its last axis) and
 * t = onehot·(1 - s) + s/C (Keras's label smoothing). With lse = logsumexp(x):
 * loss = lse - (1 - s)·x[label] - s·mean(x); gradient (softmax(x) - t)·dy.
 * lse = max(x) - log(max(softmax(x))): the largest probability is exp(0)/sum exactly, >= 1/C, so
 * its log never underflows, and the exp runs inside the native softmax kernel (wasm's Exp alone is
 * a scalar loop, several times slower than its Softmax).
 */
export function sparseCrossentropyFromLogits(
  labels: tf.Tensor,
  logits: tf.Tensor,
  smoothing: number,
): tf.Tensor {
  const classes = logits.shape[logits.rank - 1] as number;
  const n = labels.size;
  const [flat, entries] = labelEntries(labels, classes);
  const f = unaryCustomGrad((x, save) => {
    const rows = tf.reshape(x, [n, classes]);
    const probs = tf.softmax(rows);
    const lse = tf.sub(tf.max(rows, -1), tf.log(tf.max(probs, -1)));
    const picked = tf.gather(tf.reshape(rows, [n * classes]), entries);
    let loss = tf.sub(lse, smoothing > 0 ? tf.mul(picked, 1 - smoothing) : picked);
    if (smoothing > 0) loss = tf.sub(loss, tf.mul(tf.mean(rows, -1), smoothing));
    save([probs, flat]);
    return {
      value: tf.reshape(loss, labels.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, l] = saved as [tf.Tensor, tf.Tensor];
        let target = oneHotRows(l, classes);
        if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / classes);
        const g = tf.mul(tf.sub(p, target), tf.reshape(dy, [n, 1]));
        return tf.reshape(g, x.shape);
      },
    };
  });
  return f(logits);
}

/**
 * Per-sample -log(clip(p[label] / sum(p), eps, 1 - eps)) (Keras on probabilities, no smoothing).
 * With r = p[label] / sum(p): the gradient is dy · dL/dr · (onehot - r) / sum(p), where
 * dL/dr = -1/clip(r) inside [eps, 1 - eps] (bounds included, as tfjs's clip gradient) and 0
 * outside, i.e. dy · (r - onehot) / (clip(r) · sum(p)) inside.
 */
export function sparseCrossentropyFromProbabilities(
  labels: tf.Tensor,
  probs: tf.Tensor,
  epsilon: number,
): tf.Tensor {
  const classes = probs.shape[probs.rank - 1] as number;
  const n = labels.size;
  const [flat, entries] = labelEntries(labels, classes);
  const f = unaryCustomGrad((p, save) => {
    const rows = tf.reshape(p, [n, classes]);
    const total = tf.sum(rows, -1);
    const ratio = tf.div(tf.gather(tf.reshape(rows, [n * classes]), entries), total);
    const clipped = tf.clipByValue(ratio, epsilon, 1 - epsilon);
    save([ratio, clipped, total, flat]);
    return {
      value: tf.reshape(tf.neg(tf.log(clipped)), labels.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [r, q, s, l] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        // Inside the clip range exactly where clipping left r as it was (bounds included, as
        // tfjs's clip gradient; NaN compares unequal, so it gets 0 there too).
        const scale = tf.where(
          tf.equal(r, q),
          tf.div(tf.reshape(dy, [n]), tf.mul(q, s)),
          tf.zerosLike(q),
        );
        const g = tf.mul(
          tf.sub(tf.reshape(r, [n, 1]), oneHotRows(l, classes)),
          tf.reshape(scale, [n, 1]),
        );
        return tf.reshape(g, p.shape);
      },
    };
  });
  return f(probs);
}
