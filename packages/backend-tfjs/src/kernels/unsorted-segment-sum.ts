import { tf } from '../tf.js';
import { composedKernel } from './compose.js';

/**
 * out[s, ...] = sum over i with segmentIds[i] == s of x[i, ...] (the gradient of tf.gather, so
 * of embeddings). One scatterND, which adds rows with equal ids: O(N*D) whatever the number of
 * segments. segmentIds may cover the first k axes of x; out is [numSegments, ...x.shape[k:]].
 * Ids outside [0, numSegments) are dropped, as TensorFlow does: they go to an extra row that is
 * cut off, so the scatter never writes out of bounds.
 */
export function unsortedSegmentSum(
  x: tf.Tensor,
  segmentIds: tf.Tensor,
  numSegments: number,
): tf.Tensor {
  const rest = x.shape.slice(segmentIds.rank);
  const n = segmentIds.size;
  const depth = rest.reduce((a, b) => a * b, 1);
  if (n === 0 || depth === 0) return tf.zeros([numSegments, ...rest], x.dtype);
  const ids = tf.reshape(tf.cast(segmentIds, 'int32'), [n]);
  const inRange = tf.logicalAnd(tf.greaterEqual(ids, 0), tf.less(ids, numSegments));
  const safeIds = tf.where(inRange, ids, tf.fill([n], numSegments, 'int32'));
  const rows = tf.reshape(x, [n, depth]);
  const sums = tf.scatterND(tf.reshape(safeIds, [n, 1]), rows, [numSegments + 1, depth]);
  return tf.reshape(tf.slice(sums, [0, 0], [numSegments, depth]), [numSegments, ...rest]);
}

export const unsortedSegmentSumKernel = composedKernel<tf.UnsortedSegmentSumAttrs>(
  ({ x, segmentIds }, attrs) =>
    unsortedSegmentSum(x as tf.Tensor, segmentIds as tf.Tensor, attrs.numSegments),
);
