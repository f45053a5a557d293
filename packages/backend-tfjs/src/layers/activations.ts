import type { Activation } from '@netspec/spec';
import { unaryCustomGrad } from '../custom-grad.js';
import { tf } from '../tf.js';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const CUBIC = 0.044715;

/**
 * exp(z) for z <= 0 as sigmoid(z) / sigmoid(-z): tfjs-backend-wasm's Sigmoid runs in XNNPACK,
 * its Exp is a scalar loop about 5x slower (4.1 against 0.7 ms on 2^19 values). sigmoid(-z) >= 0.5,
 * so the quotient never divides by zero; for very negative z both sides underflow to 0 alike.
 */
const expNonPositive = (z: tf.Tensor) => tf.div(tf.sigmoid(z), tf.sigmoid(tf.neg(z)));

/**
 * Exact GELU x·Φ(x), Φ(x) = 0.5·(1 + erf(x/√2)), with its closed-form gradient
 * Φ(x) + x·φ(x), φ(x) = exp(-x²/2)/√(2π): Φ is kept from the forward pass, where autodiff
 * through erf and the products ran about twice as many kernels.
 */
const geluExact = unaryCustomGrad((x, save) => {
  const cdf = tf.mul(tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1), 0.5);
  save([x, cdf]);
  return {
    value: tf.mul(x, cdf),
    gradFunc: (dy, [sx, phi]) => {
      const xs = sx as tf.Tensor;
      const density = tf.mul(expNonPositive(tf.mul(tf.square(xs), -0.5)), INV_SQRT_2PI);
      return tf.mul(dy, tf.add(phi as tf.Tensor, tf.mul(xs, density)));
    },
  };
});

/**
 * GPT-2's tanh GELU 0.5·x·(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), written as x·sigmoid(2u)
 * (the same function: 1 + tanh(u) = 2·sigmoid(2u); wasm's Tanh is a scalar loop 15x slower than
 * its Sigmoid), with the closed-form gradient s + x·2s(1 - s)·u', s = sigmoid(2u),
 * u' = √(2/π)(1 + 3·0.044715x²).
 */
const geluTanh = unaryCustomGrad((x, save) => {
  const x2 = tf.square(x);
  const u = tf.mul(tf.mul(x, tf.add(tf.mul(x2, CUBIC), 1)), SQRT_2_OVER_PI);
  const s = tf.sigmoid(tf.mul(u, 2));
  save([x, x2, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy, [sx, sx2, ss]) => {
      const [xs, sq, sg] = [sx, sx2, ss] as [tf.Tensor, tf.Tensor, tf.Tensor];
      const du = tf.mul(tf.add(tf.mul(sq, 3 * CUBIC), 1), 2 * SQRT_2_OVER_PI); // 2u'
      const slope = tf.mul(tf.mul(xs, tf.mul(sg, tf.sub(1, sg))), du);
      return tf.mul(dy, tf.add(sg, slope));
    },
  };
});

/** GELU: exact x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or the tanh approximation of GPT-2. */
export function gelu(x: tf.Tensor, approximate: boolean): tf.Tensor {
  return approximate ? geluTanh(x) : geluExact(x);
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
