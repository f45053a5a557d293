import type { ModelRunner, RunnerTensor } from '@netspec/spec';
import { engine } from './engine.js';
import type { NetspecModel } from './model/model.js';
import { tf } from './tf.js';

/** A tfjs model behind the ModelRunner interface (inference mode); the runner owns the model. */
export function tfjsRunner(model: NetspecModel): ModelRunner {
  let disposed = false;
  const inputs = model.resolved.inputs;
  return {
    engine: `tfjs-${engine()?.name ?? tf.getBackend()}`,
    inputNames: model.inputNames,
    outputNames: model.outputNames,
    async run(feeds: Record<string, RunnerTensor>): Promise<Record<string, RunnerTensor>> {
      if (disposed) throw new Error('this runner was disposed');
      for (const name of Object.keys(feeds))
        if (!model.inputNames.includes(name))
          throw new Error(
            `"${name}" is not an input of the model; expected ${model.inputNames.join(', ')}`,
          );
      const tensors: Record<string, tf.Tensor> = {};
      try {
        for (const input of inputs) {
          const feed = feeds[input.name];
          if (!feed) throw new Error(`input "${input.name}" is missing`);
          tensors[input.name] = tf.tensor(feed.data, feed.shape, input.dtype);
        }
        const outputs = tf.tidy(() => model.forward(tensors).outputs);
        const result: Record<string, RunnerTensor> = {};
        for (const [name, t] of Object.entries(outputs)) {
          const data =
            t.dtype === 'int32' ? new Int32Array(await t.data()) : new Float32Array(await t.data());
          result[name] = { data, shape: t.shape };
          t.dispose();
        }
        return result;
      } finally {
        tf.dispose(Object.values(tensors));
      }
    },
    async dispose() {
      if (!disposed) model.dispose();
      disposed = true;
    },
  };
}
