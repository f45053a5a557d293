import type { Activation } from '@netspec/spec';
import { tf } from '../tf.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU: exact x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or the tanh approximation of GPT-2. */
export function gelu(x: tf.Tensor, approximate: boolean): tf.Tensor {
  return tf.tidy(() => {
    if (!approximate) return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
  });
}

/** Softmax along any axis (tfjs's op works on the last axis only). */
export function softmax(x: tf.Tensor, axis = -1, log = false): tf.Tensor {
  const rank = x.rank;
  const a = axis < 0 ? rank + axis : axis;
  if (a === rank - 1) return log ? tf.logSoftmax(x) : tf.softmax(x);
  const perm = [...Array(rank).keys()];
  perm[a] = rank - 1;
  perm[rank - 1] = a;
  const y = tf.transpose(x, perm);
  return tf.transpose(log ? tf.logSoftmax(y) : tf.softmax(y), perm);
}

/** Applies a spec activation with Keras's definitions and defaults. */
export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  const a = typeof activation === 'string' ? { type: activation } : activation;
  switch (a.type) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'leakyRelu':
      return tf.leakyRelu(x, 'alpha' in a ? a.alpha : 0.3);
    case 'elu': {
      const alpha = 'alpha' in a ? a.alpha : 1;
      return alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.elu(x)));
    }
    case 'selu':
      return tf.selu(x);
    case 'gelu':
      return gelu(x, 'approximate' in a ? a.approximate : false);
    case 'geluTanh':
      return gelu(x, true);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'hardSigmoid':
      // Keras 3: relu6(x + 3) / 6
      return tf.div(tf.relu6(tf.add(x, 3)), 6);
    case 'tanh':
      return tf.tanh(x);
    case 'softmax':
      return softmax(x, 'axis' in a ? a.axis : -1);
    case 'logSoftmax':
      return softmax(x, 'axis' in a ? a.axis : -1, true);
    case 'softplus':
      return tf.softplus(x);
    case 'softsign':
      return tf.div(x, tf.add(1, tf.abs(x)));
    case 'swish':
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'mish':
      return tf.mul(x, tf.tanh(tf.softplus(x)));
    case 'exponential':
      return tf.exp(x);
  }
}
