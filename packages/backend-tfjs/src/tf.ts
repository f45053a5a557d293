// The one tfjs entry point of the package: ops and their gradients from tfjs-core, and the cpu
// kernels registered so there is always an engine. Other engines register themselves when
// `useEngine` loads them.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';

// Production mode skips tfjs's debug checks, and its banner that tells Node users to install
// tfjs-node: netspec reports the engine it uses itself (engine(), `netspec doctor`).
tf.enableProdMode();

export { tf };
