import type { Constraint } from '@netspec/spec';
import { tf } from '../tf.js';

/** Keras's epsilon in norm constraints, so a zero column stays zero instead of NaN. */
const EPSILON = 1e-7;

function norms(w: tf.Tensor, axis: number): tf.Tensor {
  return tf.sqrt(tf.sum(tf.square(w), axis, true));
}

/** `w` projected by Keras's constraint (MaxNorm, NonNeg, UnitNorm, MinMaxNorm). */
export function applyConstraint(w: tf.Tensor, constraint: Constraint): tf.Tensor {
  const c = typeof constraint === 'string' ? { type: constraint } : constraint;
  const axis = 'axis' in c && c.axis !== undefined ? c.axis : 0;
  switch (c.type) {
    case 'nonNeg':
      return tf.relu(w);
    case 'unitNorm':
      return tf.div(w, tf.add(EPSILON, norms(w, axis)));
    case 'maxNorm': {
      const maxValue = 'maxValue' in c && c.maxValue !== undefined ? c.maxValue : 2;
      const n = norms(w, axis);
      return tf.mul(w, tf.div(tf.clipByValue(n, 0, maxValue), tf.add(EPSILON, n)));
    }
    case 'minMaxNorm': {
      const {
        minValue = 0,
        maxValue = 1,
        rate = 1,
      } = c as {
        minValue?: number;
        maxValue?: number;
        rate?: number;
      };
      const n = norms(w, axis);
      const desired = tf.add(
        tf.mul(rate, tf.clipByValue(n, minValue, maxValue)),
        tf.mul(1 - rate, n),
      );
      return tf.mul(w, tf.div(desired, tf.add(EPSILON, n)));
    }
  }
}
