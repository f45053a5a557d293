/**
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit-state PRNG, small enough to write the same
 * in any language, so every engine and every machine draws the same numbers from one seed.
 * Returns a function giving floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isSafeInteger(seed))
    throw new Error(`seed: expected an integer, got ${String(seed)}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
