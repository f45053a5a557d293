// Learning byte-pair merges (Sennrich et al. 2016), shared by the BPE and WordPiece trainers as
// in Hugging Face tokenizers: count adjacent symbol pairs over the distinct words (weighted by
// word frequency), merge the most frequent pair everywhere, repeat. Pair counts are updated only
// for the words that hold the merged pair.

export interface MergeOptions {
  /** Stop once this many new tokens were made. */
  newTokens: number;
  /** Marks a symbol that continues a word (WordPiece's "##"); merging it drops the marker. */
  prefix?: string;
}

export interface LearnedMerges {
  merges: [string, string][];
  /** The tokens the merges made, in order (no duplicates). */
  tokens: string[];
}

// Symbols never hold a space (byte-level maps it to "Ġ"; BERT pre-tokenizes on whitespace).
const key = (a: string, b: string) => `${a} ${b}`;

/**
 * Learns merges over `words` (each a list of initial symbols, with its count). Ties between
 * equally frequent pairs go to the pair that sorts first (left symbol, then right), so a corpus
 * gives the same merges on every machine.
 */
export function learnMerges(
  words: readonly { symbols: string[]; count: number }[],
  options: MergeOptions,
): LearnedMerges {
  const prefix = options.prefix ?? '';
  const counts = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const symbols = words.map((w) => [...w.symbols]);
  const tally = (i: number, sign: 1 | -1) => {
    const s = symbols[i] as string[];
    const count = (words[i]?.count ?? 0) * sign;
    for (let j = 0; j + 1 < s.length; j++) {
      const k = key(s[j] as string, s[j + 1] as string);
      const n = (counts.get(k) ?? 0) + count;
      if (n > 0) counts.set(k, n);
      else counts.delete(k);
      if (sign > 0) {
        const set = where.get(k) ?? new Set<number>();
        where.set(k, set.add(i));
      }
    }
  };
  for (let i = 0; i < symbols.length; i++) tally(i, 1);

  const merges: [string, string][] = [];
  const tokens: string[] = [];
  const made = new Set<string>();
  while (tokens.length < options.newTokens) {
    const best = mostFrequent(counts);
    if (best === undefined) break;
    const [a, b] = best.split(' ') as [string, string];
    const merged = prefix && b.startsWith(prefix) ? a + b.slice(prefix.length) : a + b;
    merges.push([a, b]);
    if (!made.has(merged)) {
      made.add(merged);
      tokens.push(merged);
    }
    for (const i of where.get(best) ?? []) {
      tally(i, -1);
      symbols[i] = mergePair(symbols[i] as string[], a, b, merged);
      tally(i, 1);
    }
    where.delete(best);
  }
  return { merges, tokens };
}

function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [k, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== undefined && comparePairs(k, best) < 0)) {
      best = k;
      bestCount = n;
    }
  }
  return best;
}

function comparePairs(x: string, y: string): number {
  const [xa, xb] = x.split(' ') as [string, string];
  const [ya, yb] = y.split(' ') as [string, string];
  if (xa !== ya) return xa < ya ? -1 : 1;
  return xb < yb ? -1 : xb > yb ? 1 : 0;
}

/** Replaces every non-overlapping (a, b), left to right, by `merged`. */
function mergePair(s: string[], a: string, b: string, merged: string): string[] {
  const out: string[] = [];
  for (let j = 0; j < s.length; j++) {
    if (s[j] === a && s[j + 1] === b) {
      out.push(merged);
      j++;
    } else out.push(s[j] as string);
  }
  return out;
}
