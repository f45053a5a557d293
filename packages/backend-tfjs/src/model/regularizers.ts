import type { Regularizer } from '@netspec/spec';
import { tf } from '../tf.js';

/** Keras's L1L2 penalty: l1 * sum|x| + l2 * sum x². */
export function regularization(x: tf.Tensor, reg: Regularizer): tf.Scalar {
  return tf.tidy(() => {
    let total = tf.scalar(0);
    if (reg.l1) total = tf.add(total, tf.mul(reg.l1, tf.sum(tf.abs(x))));
    if (reg.l2) total = tf.add(total, tf.mul(reg.l2, tf.sum(tf.square(x))));
    return total;
  });
}
