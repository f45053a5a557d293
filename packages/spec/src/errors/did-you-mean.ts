import { distance } from 'fastest-levenshtein';

/** The closest candidate to a near-miss name, if one is close enough to be what was meant. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exactCase = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  // Close enough: a third of the word may differ, and never the whole of a short word.
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit && bestDistance < word.length ? best : undefined;
}

/** " (did you mean "x"?)" or "". */
export function suggestion(word: unknown, candidates: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const s = didYouMean(word, candidates);
  return s ? ` (did you mean "${s}"?)` : '';
}
