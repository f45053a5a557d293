import { describe, expect, it } from 'vitest';
import { parityInputs, smallestVocabulary } from './parity-inputs.js';

describe('parity inputs', () => {
  const inputs = [
    { name: 'x', shape: [null, 3], dtype: 'float32' as const },
    { name: 'ids', shape: [5], dtype: 'int32' as const },
  ];

  it('are seeded, shaped and in range', () => {
    const a = parityInputs(inputs, { samples: 2, seed: 7, maxId: 4, freeLength: 6 });
    const b = parityInputs(inputs, { samples: 2, seed: 7, maxId: 4, freeLength: 6 });
    const c = parityInputs(inputs, { samples: 2, seed: 8, maxId: 4, freeLength: 6 });
    expect(a.x?.shape).toEqual([2, 6, 3]);
    expect(a.ids?.shape).toEqual([2, 5]);
    expect(a.ids?.data).toBeInstanceOf(Int32Array);
    expect(Array.from(a.x?.data ?? [])).toEqual(Array.from(b.x?.data ?? []));
    expect(Array.from(a.x?.data ?? [])).not.toEqual(Array.from(c.x?.data ?? []));
    expect(Array.from(a.x?.data ?? []).every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(a.ids?.data).size).toBeGreaterThan(1);
    expect(Array.from(a.ids?.data ?? []).every((v) => v >= 0 && v < 4)).toBe(true);
  });

  it('keep ids below the smallest embedding table, nested blocks included', () => {
    const spec = {
      layers: [
        { type: 'embedding', inputDim: 50 },
        { type: 'block', layers: [{ type: 'embedding', inputDim: 12 }] },
      ],
    };
    expect(smallestVocabulary(spec)).toBe(12);
    expect(smallestVocabulary({ layers: [] })).toBeUndefined();
  });
});
