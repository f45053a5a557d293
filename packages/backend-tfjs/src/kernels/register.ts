import { tf } from '../tf.js';
import { avgPoolGradKernel } from './avg-pool-grad.js';
import { plainLayoutMatMul } from './batch-mat-mul.js';
import { conv2dBackpropFilterKernel } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputKernel } from './conv2d-backprop-input.js';
import {
  depthwiseBackpropFilterKernel,
  depthwiseBackpropInputKernel,
} from './depthwise-backprop.js';
import { maxPoolGradKernel } from './max-pool-grad.js';
import { registerWrappedWasmKernels } from './register-wrapped.js';
import { registerHeapSlices } from './slice-family.js';
import { unsortedSegmentSumKernel } from './unsorted-segment-sum.js';

interface Kernel {
  kernelName: string;
  kernelFunc: tf.KernelFunc;
}

/** Training kernels that tfjs-backend-wasm 4.22 lacks, composed from the ones it has. */
export const WASM_MISSING_KERNELS: readonly Kernel[] = [
  { kernelName: tf.Conv2DBackpropFilter, kernelFunc: conv2dBackpropFilterKernel },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, kernelFunc: depthwiseBackpropFilterKernel },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, kernelFunc: depthwiseBackpropInputKernel },
  { kernelName: tf.UnsortedSegmentSum, kernelFunc: unsortedSegmentSumKernel },
];

/** Kernels that tfjs-backend-wasm 4.22 has but gets wrong or slow (see each one's comment). */
export const WASM_REPLACED_KERNELS: readonly Kernel[] = [
  { kernelName: tf.MaxPoolGrad, kernelFunc: maxPoolGradKernel },
  // Replaced for speed: wasm's is a naive loop, 4-12x slower than this forward conv in XNNPACK.
  { kernelName: tf.Conv2DBackpropInput, kernelFunc: conv2dBackpropInputKernel },
  // Replaced for speed: wasm's is a naive loop; this is one XNNPACK depthwise convolution.
  { kernelName: tf.AvgPoolGrad, kernelFunc: avgPoolGradKernel },
];

/**
 * Registers the kernels above for backend 'wasm'. Idempotent; a missing kernel that the wasm
 * backend has by then (a later tfjs) is kept. Returns the names registered by this call.
 */
export function registerWasmKernels(): string[] {
  const added: string[] = [];
  for (const { kernelName, kernelFunc } of WASM_MISSING_KERNELS) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    added.push(kernelName);
  }
  for (const { kernelName, kernelFunc } of WASM_REPLACED_KERNELS) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (existing?.kernelFunc === kernelFunc) continue;
    // Unregistered first: registering over a kernel logs a warning.
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    added.push(kernelName);
  }
  // Wrapped rather than replaced: the product itself stays the fast wasm kernel.
  for (const kernelName of [tf.BatchMatMul, tf._FusedMatMul]) {
    const existing = tf.getKernel(kernelName, 'wasm');
    if (!existing || wrappedMatMuls.has(existing.kernelFunc)) continue;
    const kernelFunc = plainLayoutMatMul(existing.kernelFunc);
    wrappedMatMuls.add(kernelFunc);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...existing, kernelFunc });
    added.push(kernelName);
  }
  // Slice, Unpack, SplitV, StridedSlice read only the bytes they copy (slice.ts).
  added.push(...registerHeapSlices());
  // Sum and Mean over leading axes on XNNPACK, Identity without a copy (register-wrapped.ts).
  added.push(...registerWrappedWasmKernels());
  return added;
}

const wrappedMatMuls = new WeakSet<tf.KernelFunc>();
