// The one tfjs entry point of the package: ops from tfjs-core, the cpu kernels so there is always
// an engine, and the gradients. tfjs-core ships its gradients only as extensionless ES modules,
// which Node cannot load; the union package's Node bundle registers them (into tfjs's global
// registry), as it does for tfjs-node users. Other engines register when `useEngine` loads them.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';

// Production mode skips tfjs's debug checks, and its banner that tells Node users to install
// tfjs-node: netspec reports the engine it uses itself (engine(), `netspec doctor`).
tf.enableProdMode();

export { tf };
