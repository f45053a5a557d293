import { describe, expect, it } from 'vitest';
import { jsUpdate, type UpdateKernel, wasmUpdate } from './optimizer-codegen.js';
import {
  adadeltaKernel,
  adagradKernel,
  adamaxKernel,
  adamKernel,
  rmspropKernel,
  sgdKernel,
  sgdMomentumKernel,
} from './optimizer-fused.js';

// The two compilations of one update must agree bit for bit: the SIMD lanes, the scalar tail,
// in place and into other memory, at any byte offset. (optimizer-fused.test.ts compares both
// with the kernel path on the engines.)

const KERNELS: [string, UpdateKernel][] = [
  ['sgd', sgdKernel()],
  ['sgd momentum', sgdMomentumKernel(false)],
  ['sgd nesterov', sgdMomentumKernel(true)],
  ['adam', adamKernel(false, false)],
  ['adam amsgrad', adamKernel(true, false)],
  ['adamw', adamKernel(false, true)],
  ['adamw amsgrad', adamKernel(true, true)],
  ['rmsprop', rmspropKernel(false, false)],
  ['rmsprop momentum', rmspropKernel(true, false)],
  ['rmsprop centered', rmspropKernel(false, true)],
  ['rmsprop centered momentum', rmspropKernel(true, true)],
  ['adagrad', adagradKernel()],
  ['adadelta', adadeltaKernel()],
  ['adamax', adamaxKernel()],
];

const SIZES = [0, 1, 3, 4, 5, 8, 17, 1030];

/** Values with zeros, signed zeros, subnormals and wide magnitudes; slots (k > 0) non-negative. */
function fill(a: Float32Array, seed: number, nonNegative: boolean): void {
  let s = seed;
  const special = [0, -0, 1e-40, -3e-39, 1e30, 1];
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = s / 4294967296;
    const v = u < 0.1 ? (special[i % special.length] as number) : (u - 0.5) * 10 ** ((i % 9) - 4);
    a[i] = nonNegative ? Math.abs(v) : v;
  }
}

/** Equal bits, any NaN equal to any NaN (payloads are not specified). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  const [x, y] = [
    new Uint32Array(a.buffer, a.byteOffset, a.length),
    new Uint32Array(b.buffer, b.byteOffset, b.length),
  ];
  return x.every((bits, i) => bits === y[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])));
}

describe('optimizer update compiled to wasm SIMD equals the JS loop', () => {
  // The package's TS libs do not declare WebAssembly; Node has it.
  const api = (globalThis as unknown as { WebAssembly: { Memory: new (d: object) => object } })
    .WebAssembly;
  const memory = new api.Memory({ initial: 4 }) as { buffer: ArrayBuffer };
  it.each(KERNELS)('%s', (_, k) => {
    const consts = Array.from({ length: k.consts }, (_, c) =>
      Math.fround([0.01, 0.9, 0.1, 1e-7, 0.7, 0.3][c] as number),
    );
    for (const n of SIZES)
      for (const shift of [0, 4, 8])
        for (const inPlace of [true, false]) {
          const count = 1 + 2 * k.targets;
          // Arrays of n floats at `shift` bytes past 16-byte boundaries, one after another.
          const stride = Math.ceil((n * 4 + shift) / 16) * 16 + 16;
          const at = (j: number) => j * stride + shift;
          const view = (j: number) => new Float32Array(memory.buffer, at(j), n);
          for (let j = 0; j < count; j++) view(j).fill(0);
          fill(view(0), 17 + n, false);
          for (let t = 0; t < k.targets; t++) fill(view(1 + t), 31 * t + n, t > 0);
          const g = Float32Array.from(view(0));
          const src = Array.from({ length: k.targets }, (_, t) => Float32Array.from(view(1 + t)));
          const expected = src.map(() => new Float32Array(n));
          jsUpdate(k)(n, g, src, expected, consts);
          const dst = (t: number) => (inPlace ? 1 + t : 1 + k.targets + t);
          const targets = Array.from({ length: k.targets }, (_, t) => t);
          const simd = wasmUpdate(k, memory);
          if (!simd) throw new Error('the update did not compile');
          simd(
            n,
            at(0),
            ...targets.map((t) => at(1 + t)),
            ...targets.map((t) => at(dst(t))),
            ...consts,
          );
          for (const t of targets) {
            const ok = sameBits(view(dst(t)), expected[t] as Float32Array);
            expect({ n, shift, inPlace, target: t, ok }).toEqual({
              n,
              shift,
              inPlace,
              target: t,
              ok: true,
            });
          }
        }
  });
});
