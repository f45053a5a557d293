import type { tf } from '../tf.js';

/**
 * Identity sharing its input's data. tfjs-backend-wasm 4.22's copies every byte, and the engine
 * runs Identity to keep each op output that a gradient needs (clone in saveTensorsForBackwardMode):
 * about 270 copies per step of a small GPT (5% of it). Tensors are immutable (a Variable's assign
 * swaps its data), so sharing is what tfjs's cpu backend does too. Strings go to `original`.
 */
export function sharedIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    (args.backend as tf.KernelBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
