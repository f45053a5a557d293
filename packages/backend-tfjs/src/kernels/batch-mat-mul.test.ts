import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngine } from '../engine.js';
import { Rng } from '../random.js';
import { tf } from '../tf.js';

// The wrapped wasm matMul gives the cpu kernel's products for every transpose combination.
const rng = new Rng(12);
const random = (shape: number[]) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5),
    shape,
  );

const CASES: [number[], number[], boolean, boolean][] = [
  [[7, 5], [5, 3], false, false],
  [[5, 7], [5, 3], true, false],
  [[7, 5], [3, 5], false, true],
  [[5, 7], [3, 5], true, true],
  [[2, 6, 4], [2, 6, 3], true, false],
  [[2, 4, 6], [1, 3, 6], false, true],
];

describe('wasm BatchMatMul with transposes', () => {
  beforeAll(async () => {
    await useEngine('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(CASES)('%j x %j (transposeA %s, transposeB %s) equals cpu', async (sa, sb, ta, tb) => {
    const [a, b] = [random(sa), random(sb)];
    const product = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => Array.from(tf.matMul(a, b, ta, tb).dataSync()));
    };
    const cpu = await product('cpu');
    const before = tf.memory().numTensors;
    const wasm = await product('wasm');
    expect(tf.memory().numTensors).toBe(before);
    expect(wasm.length).toBe(cpu.length);
    wasm.forEach((v, i) => {
      expect(Math.abs(v - (cpu[i] as number))).toBeLessThanOrEqual(1e-5);
    });
    tf.dispose([a, b]);
  });
});
