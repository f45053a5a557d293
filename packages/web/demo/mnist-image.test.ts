import { loadMnist } from '@netspec/backend-tfjs';
import { describe, expect, it } from 'vitest';
import { toMnist } from './mnist-image.js';

/** A 28x28 digit enlarged 10 times, as if drawn on the 280x280 pad. */
function enlarge(digit: Float32Array) {
  const data = new Float32Array(280 * 280);
  for (let y = 0; y < 280; y++) {
    for (let x = 0; x < 280; x++)
      data[y * 280 + x] = digit[Math.floor(y / 10) * 28 + Math.floor(x / 10)] as number;
  }
  return { data, width: 280, height: 280 };
}

/** Mean |a - b| over 28x28 with `a` moved by at most one pixel each way, the best such move. */
function bestShiftError(a: Float32Array, b: Float32Array): number {
  let best = Number.POSITIVE_INFINITY;
  for (const dy of [-1, 0, 1]) {
    for (const dx of [-1, 0, 1]) {
      let sum = 0;
      for (let y = 0; y < 28; y++) {
        for (let x = 0; x < 28; x++) {
          const [sy, sx] = [y + dy, x + dx];
          const v = sy >= 0 && sy < 28 && sx >= 0 && sx < 28 ? (a[sy * 28 + sx] as number) : 0;
          sum += Math.abs(v - (b[y * 28 + x] as number));
        }
      }
      best = Math.min(best, sum / 784);
    }
  }
  return best;
}

describe('toMnist', () => {
  it('gives back real MNIST digits drawn ten times larger', () => {
    const test = loadMnist({ split: 'test', limit: 20 });
    const images = Object.values(test.x)[0]?.data as Float32Array;
    for (let i = 0; i < 20; i++) {
      const digit = images.subarray(i * 784, (i + 1) * 784);
      const out = toMnist(enlarge(digit)) as Float32Array;
      expect(out).toHaveLength(784);
      // MNIST is already boxed to 20x20 and centered by mass; rounding may move it one pixel.
      expect(bestShiftError(out, digit), `digit ${i}`).toBeLessThan(0.01);
    }
  });

  it('boxes a small drawing to 20 pixels, centered', () => {
    const data = new Float32Array(280 * 280);
    for (let y = 100; y < 140; y++) data[y * 280 + 50] = 1; // a 40-pixel vertical line at x=50
    const out = toMnist({ data, width: 280, height: 280 }) as Float32Array;
    const rows = [...Array(28).keys()].filter((y) =>
      out.slice(y * 28, y * 28 + 28).some((v) => v > 0),
    );
    const cols = [...Array(28).keys()].filter((x) =>
      rows.some((y) => (out[y * 28 + x] as number) > 0),
    );
    expect(rows).toHaveLength(20);
    expect(rows[0]).toBe(4);
    expect(cols).toEqual([14]);
  });

  it('is undefined for an empty pad', () => {
    expect(toMnist({ data: new Float32Array(280 * 280), width: 280, height: 280 })).toBeUndefined();
  });
});
