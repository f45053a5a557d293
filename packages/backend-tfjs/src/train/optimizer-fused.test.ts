import type { OptimizerObject } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';
import { createOptimizer } from './optimizers.js';

// The fused update must give the kernel path's weights and slots bit for bit, on both engines
// it serves, for every optimizer, shape, step and option; these compare the raw float32 bits.

const clip = { clipValue: undefined, clipNorm: undefined, globalClipNorm: undefined };
const adamBase = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, ...clip };
const sgdBase = { type: 'sgd', learningRate: 0.01, ...clip } as const;
const rmsBase = { type: 'rmsprop', learningRate: 0.001, rho: 0.9, epsilon: 1e-7, ...clip } as const;

const OPTIMIZERS: [string, OptimizerObject][] = [
  ['sgd', { ...sgdBase, momentum: 0, nesterov: false }],
  ['sgd momentum', { ...sgdBase, momentum: 0.9, nesterov: false }],
  ['sgd nesterov', { ...sgdBase, momentum: 0.85, nesterov: true }],
  ['adam', { type: 'adam', ...adamBase, amsgrad: false }],
  ['adam amsgrad', { type: 'adam', ...adamBase, beta1: 0.8, beta2: 0.95, amsgrad: true }],
  ['adamw', { type: 'adamw', ...adamBase, amsgrad: false, weightDecay: 0.004 }],
  ['adamw amsgrad', { type: 'adamw', ...adamBase, amsgrad: true, weightDecay: 0.3 }],
  ['adamw no decay', { type: 'adamw', ...adamBase, amsgrad: false, weightDecay: 0 }],
  ['rmsprop', { ...rmsBase, momentum: 0, centered: false }],
  ['rmsprop momentum', { ...rmsBase, momentum: 0.9, centered: false }],
  ['rmsprop centered', { ...rmsBase, momentum: 0, centered: true }],
  ['rmsprop centered momentum', { ...rmsBase, momentum: 0.5, centered: true }],
  [
    'adagrad',
    { type: 'adagrad', learningRate: 0.01, initialAccumulatorValue: 0.1, epsilon: 1e-7, ...clip },
  ],
  ['adadelta', { type: 'adadelta', learningRate: 1, rho: 0.95, epsilon: 1e-7, ...clip }],
  [
    'adamax',
    { type: 'adamax', learningRate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, ...clip },
  ],
];

const CLIPS: [string, Partial<OptimizerObject>][] = [
  ['clipValue', { clipValue: 0.05 }],
  ['clipNorm', { clipNorm: 0.5 }],
  ['globalClipNorm', { globalClipNorm: 1 }],
];

/** Odd sizes, a scalar-like one, and one past a SIMD multiple. */
const SHAPES = [[1], [7], [3, 5], [17, 33], [4, 4, 9], [1030]];
const STEPS = 6;

/** A seeded stream of floats in [0, 1): gradients of several magnitudes, zeros and signs. */
function stream(seed: number) {
  const rng = new Rng(seed);
  return () => rng.next();
}

function values(size: number, next: () => number, step: number): Float32Array {
  const scale = [1, 1e-3, 30, 1e-6, 0.2, 5][step % 6] as number;
  return Float32Array.from({ length: size }, () => {
    const u = next();
    return u < 0.05 ? 0 : (u - 0.5) * 2 * scale;
  });
}

/** A variable of these values (the tensor it is made from disposed). */
const variable = (x: Float32Array | number[], shape: number[]) =>
  tf.tidy(() => tf.variable(tf.tensor(x, shape)));

/** The variables under test, one per shape, with the stream's first values. */
const initial = (next: () => number) =>
  SHAPES.map((s) => variable(values(tf.util.sizeFromShape(s), next, 0), s));

/** Bits of every variable and slot after each step. */
function trajectory(o: OptimizerObject, fused: boolean, steps = STEPS): Uint32Array[][] {
  const next = stream(7);
  const vars = initial(next);
  const opt = createOptimizer(o, vars, { fused });
  const out: Uint32Array[][] = [];
  for (let k = 0; k < steps; k++) {
    const grads = vars.map((v) => tf.tensor(values(v.size, next, k), v.shape));
    opt.apply(k === 2 ? grads.map((g, i) => (i === 1 ? null : g)) : grads, 0.01 * (1 + k));
    tf.dispose(grads);
    out.push(snapshot(vars, opt.state()));
  }
  opt.dispose();
  tf.dispose(vars);
  return out;
}

/** The bits of the variables, then of each state tensor (disposed here). */
function snapshot(vars: tf.Variable[], state: Record<string, tf.Tensor>): Uint32Array[] {
  const bits = (t: tf.Tensor) => new Uint32Array(Float32Array.from(t.dataSync()).buffer);
  const out = [...vars.map(bits), ...Object.values(state).map(bits)];
  tf.dispose(Object.values(state));
  return out;
}

function expectSameBits(a: Uint32Array[][], b: Uint32Array[][]): void {
  expect(a.length).toBe(b.length);
  a.forEach((step, k) => {
    step.forEach((x, j) => {
      const y = b[k]?.[j] as Uint32Array;
      const first = x.findIndex((bits, i) => bits !== y[i]);
      expect({ step: k, tensor: j, first, length: x.length }).toEqual({
        step: k,
        tensor: j,
        first: -1,
        length: y.length,
      });
    });
  });
}

/** Bits of a variable's values, through a copy. */
const bitsOf = (t: tf.Tensor) => [...new Uint32Array(Float32Array.from(t.dataSync()).buffer)];

for (const engine of ['cpu', 'wasm'] as const) {
  describe(`fused optimizer update on ${engine}: the kernel path's bits`, () => {
    beforeAll(async () => {
      if (engine === 'wasm') await useEngine('wasm');
      else await tf.setBackend('cpu');
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it.each(OPTIMIZERS)('%s', (_, o) => {
      expectSameBits(trajectory(o, true), trajectory(o, false));
    });

    it.each(CLIPS)('adamw amsgrad and sgd nesterov with %s before the update', (_, c) => {
      for (const [, o] of [OPTIMIZERS[6], OPTIMIZERS[2]] as [string, OptimizerObject][]) {
        const clipped = { ...o, ...c } as OptimizerObject;
        expectSameBits(trajectory(clipped, true), trajectory(clipped, false));
      }
    });

    it('runs no kernel for an unclipped step', async () => {
      const v = variable(new Float32Array(15).fill(1), [5, 3]);
      const opt = createOptimizer({ type: 'adam', ...adamBase, amsgrad: true }, [v], {
        fused: true,
      });
      const g = tf.fill([5, 3], 0.5);
      const { kernels } = await tf.profile(() => opt.apply([g], 0.1));
      expect(kernels.map((k) => k.name)).toEqual([]);
      tf.dispose([g, v]);
      opt.dispose();
    });

    it('resume: state taken from a fused run and loaded continues bit for bit', () => {
      const o = OPTIMIZERS[6]?.[1] as OptimizerObject;
      const whole = trajectory(o, false);
      const next = stream(7);
      const vars = initial(next);
      const first = createOptimizer(o, vars, { fused: true });
      const grads = (k: number) => vars.map((v) => tf.tensor(values(v.size, next, k), v.shape));
      const step = (opt: ReturnType<typeof createOptimizer>, k: number) => {
        const g = grads(k);
        opt.apply(k === 2 ? g.map((x, i) => (i === 1 ? null : x)) : g, 0.01 * (1 + k));
        tf.dispose(g);
      };
      for (let k = 0; k < 3; k++) step(first, k);
      const saved = first.state();
      const kept = Object.values(saved).map(bitsOf);
      first.dispose();
      const second = createOptimizer(o, vars, { fused: true });
      second.loadState(saved);
      const seen: Uint32Array[][] = [];
      for (let k = 3; k < STEPS; k++) {
        step(second, k);
        seen.push(snapshot(vars, second.state()));
      }
      // The loaded tensors are the caller's: stepping never wrote into them.
      expect(Object.values(saved).map(bitsOf)).toEqual(kept);
      expectSameBits(seen, whole.slice(3));
      tf.dispose([...Object.values(saved), ...vars]);
      second.dispose();
    });

    it('leaves tensors sharing the data of a variable or slot with their old values', () => {
      const o = OPTIMIZERS[4]?.[1] as OptimizerObject;
      const [a, b] = [variable([1, -2, 3, 0.5], [4]), variable([1, -2, 3, 0.5], [4])];
      const fused = createOptimizer(o, [a], { fused: true });
      const plain = createOptimizer(o, [b], { fused: false });
      const g = tf.tensor([0.3, -0.1, 0, 2]);
      for (let k = 0; k < 3; k++) {
        // A reshape and a clone (the sharing Identity) hold the variable's data, state() the slots'.
        const held = [tf.reshape(a, [2, 2]), tf.clone(a)];
        const state = fused.state();
        const before = [...held, ...Object.values(state)].map(bitsOf);
        fused.apply([g], 0.1);
        plain.apply([g], 0.1);
        expect([...held, ...Object.values(state)].map(bitsOf)).toEqual(before);
        expect(bitsOf(a)).toEqual(bitsOf(b));
        tf.dispose([...held, ...Object.values(state)]);
      }
      tf.dispose([a, b, g]);
      fused.dispose();
      plain.dispose();
    });

    it('products and convolutions with updated weights see the new values', () => {
      // tfjs-wasm keeps XNNPACK operators with packed weights per weight and bias tensor id
      // (matmul, fused matmul, conv2d): an update in place must drop them as a fresh tensor would.
      const o = OPTIMIZERS[0]?.[1] as OptimizerObject;
      const w = variable([1, 2, 3, 4, 5, 6], [3, 2]);
      const bias = variable([0.5, -1], [2]);
      const filter = variable([1, -1, 2, 0.5, 0, 3, -2, 1], [2, 2, 1, 2]);
      const x = tf.tensor2d([1, 0.5, -1, 2, 0, 1], [2, 3]);
      const image = tf.tensor4d([1, 2, 0, -1, 3, 1, 0.5, 2, -2], [1, 3, 3, 1]);
      const vars = [w, bias, filter];
      const opt = createOptimizer(o, vars, { fused: true });
      const grads = vars.map((v) => tf.fill(v.shape, 10));
      const outputs = (a: tf.Tensor2D, b: tf.Tensor1D, f: tf.Tensor4D) => [
        tf.matMul(x, a),
        tf.fused.matMul({ a: x, b: a, bias: b, activation: 'relu' }),
        tf.conv2d(image, f, 1, 'valid'),
      ];
      for (let k = 0; k < 3; k++) {
        tf.dispose(outputs(w as tf.Tensor2D, bias as tf.Tensor1D, filter as tf.Tensor4D));
        opt.apply(grads, 1);
        const copies = vars.map((v) => tf.tensor(v.dataSync(), v.shape));
        const expected = outputs(...(copies as [tf.Tensor2D, tf.Tensor1D, tf.Tensor4D]));
        const seen = outputs(w as tf.Tensor2D, bias as tf.Tensor1D, filter as tf.Tensor4D);
        expect(seen.map(bitsOf)).toEqual(expected.map(bitsOf));
        tf.dispose([...copies, ...expected, ...seen]);
      }
      tf.dispose([...vars, x, image, ...grads]);
      opt.dispose();
    });

    it('does not leak tensors or memory', () => {
      for (const [, o] of OPTIMIZERS) {
        const before = tf.memory();
        trajectory(o, true, 3);
        const after = tf.memory();
        expect([after.numTensors, after.numDataBuffers, after.numBytes]).toEqual([
          before.numTensors,
          before.numDataBuffers,
          before.numBytes,
        ]);
      }
    });
  });
}
