// The one tfjs entry point of the package: ops from tfjs-core, and the cpu kernels registered so
// there is always an engine. Other engines register themselves when `useEngine` loads them.
import '@tensorflow/tfjs-backend-cpu';

export * as tf from '@tensorflow/tfjs-core';
