// The model's weights in one SharedArrayBuffer: the main thread writes them before each
// parallel step, the training threads read them into their own copies of the model. Every
// weight travels (trainable or not), so any layer state the forward pass reads is the main
// thread's.
import type { NetspecModel } from '../../model/model.js';
import type { tf } from '../../tf.js';
import { float32Tensor, float32Values } from './heap.js';

/** Which weight sits where: names in the model's order, and their sizes. */
export interface WeightLayout {
  names: string[];
  sizes: number[];
}

export class SharedWeights {
  private readonly view: Float32Array;

  constructor(
    readonly layout: WeightLayout,
    readonly buffer: SharedArrayBuffer,
  ) {
    this.view = new Float32Array(buffer);
  }

  /** A buffer sized for `model`'s weights. */
  static of(model: NetspecModel): SharedWeights {
    const names: string[] = [];
    const sizes: number[] = [];
    for (const [name, w] of model.weights) {
      if (w.variable.dtype !== 'float32')
        throw new Error(`training threads share float32 weights; ${name} is ${w.variable.dtype}`);
      names.push(name);
      sizes.push(w.variable.size);
    }
    const total = sizes.reduce((a, b) => a + b, 0);
    return new SharedWeights({ names, sizes }, new SharedArrayBuffer(4 * total));
  }

  /** Throws unless `model` has exactly the weights of the layout (same spec on both sides). */
  check(model: NetspecModel): void {
    const names = [...model.weights.keys()];
    const sizes = [...model.weights.values()].map((w) => w.variable.size);
    const same =
      names.length === this.layout.names.length &&
      names.every((n, i) => n === this.layout.names[i] && sizes[i] === this.layout.sizes[i]);
    if (!same)
      throw new Error('a training thread built a model with other weights than the main one');
  }

  /** Copies `model`'s weights into the buffer. */
  write(model: NetspecModel): void {
    let offset = 0;
    this.layout.names.forEach((name, i) => {
      const variable = model.weights.get(name)?.variable as tf.Variable;
      this.view.set(float32Values(variable), offset);
      offset += this.layout.sizes[i] as number;
    });
  }

  /** Sets `model`'s weights from the buffer. */
  read(model: NetspecModel): void {
    let offset = 0;
    this.layout.names.forEach((name, i) => {
      const size = this.layout.sizes[i] as number;
      const variable = model.weights.get(name)?.variable as tf.Variable;
      // Never aliased: the buffer changes next step.
      const value = float32Tensor(this.view.subarray(offset, offset + size), variable.shape);
      variable.assign(value);
      value.dispose();
      offset += size;
    });
  }
}

/** One buffer of float32 arrays of fixed sizes (a thread's gradients, one per variable). */
export class SharedArrays {
  readonly views: Float32Array[];

  constructor(
    sizes: number[],
    readonly buffer = new SharedArrayBuffer(4 * sizes.reduce((a, b) => a + b, 0)),
  ) {
    let offset = 0;
    this.views = sizes.map((n) => {
      const view = new Float32Array(buffer, 4 * offset, n);
      offset += n;
      return view;
    });
  }
}
