import { describe, expect, it } from 'vitest';
import { seededRandom } from './rng.js';

describe('seededRandom (mulberry32)', () => {
  it('draws the numbers of an independent implementation (Python, exact integer arithmetic)', () => {
    const a = seededRandom(42);
    expect([a(), a(), a()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const b = seededRandom(0);
    expect([b(), b(), b()]).toEqual([
      0.26642920868471265, 0.0003297457005828619, 0.2232720274478197,
    ]);
  });

  it('is uniform on [0, 1): 10 bins of 100,000 draws pass a chi-square test', () => {
    const random = seededRandom(7);
    const bins = new Array<number>(10).fill(0);
    let [low, high] = [1, 0];
    for (let i = 0; i < 100_000; i++) {
      const u = random();
      [low, high] = [Math.min(low, u), Math.max(high, u)];
      bins[Math.floor(u * 10)] = (bins[Math.floor(u * 10)] ?? 0) + 1;
    }
    expect(low).toBeGreaterThanOrEqual(0);
    expect(high).toBeLessThan(1);
    const chi2 = bins.reduce((s, n) => s + (n - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(27.88); // chi-square, 9 degrees of freedom, p = 0.001
  });

  it('refuses a seed that is not an integer', () => {
    expect(() => seededRandom(1.5)).toThrow('seed: expected an integer, got 1.5');
  });
});
