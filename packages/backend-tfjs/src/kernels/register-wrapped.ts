import { tf } from '../tf.js';
import { rowGather } from './gather-rows.js';
import { sharedIdentity } from './identity.js';
import { leadingReduction } from './reduce-leading.js';
import { tallTranspose } from './transpose-last.js';

/** Wrappers of wasm kernels that keep the original for the cases they do not speed up. */
const WRAPPERS: readonly [string, (original: tf.KernelFunc) => tf.KernelFunc][] = [
  [tf.Sum, (original) => leadingReduction(original, false)],
  [tf.Mean, (original) => leadingReduction(original, true)],
  [tf.Identity, sharedIdentity],
  [tf.Transpose, tallTranspose],
  [tf.GatherV2, rowGather],
];

const wrapped = new WeakSet<tf.KernelFunc>();

/**
 * Wraps the wasm kernels above (each file says why). Idempotent: a kernel already wrapped is
 * left alone. Returns the names wrapped by this call.
 */
export function registerWrappedWasmKernels(): string[] {
  const added: string[] = [];
  for (const [kernelName, wrap] of WRAPPERS) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (!existing || wrapped.has(existing.kernelFunc)) continue;
    const kernelFunc = wrap(existing.kernelFunc);
    wrapped.add(kernelFunc);
    // Unregistered first: registering over a kernel logs a warning.
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...existing, kernelFunc });
    added.push(kernelName);
  }
  return added;
}
