// How many threads train, and how a batch splits between them. Both are pure functions of their
// arguments (never of timing or load), so a run with the same seed and thread count repeats
// bit for bit.
import { availableParallelism } from 'node:os';

/**
 * The default thread count's ceiling: past 8 shards a batch of 64 leaves each thread 8 samples,
 * where per-kernel overhead and the per-step weight copies outweigh what another core adds.
 */
export const DEFAULT_MAX_THREADS = 8;
/** An explicit request above this is a typo, not a machine. */
export const MAX_THREADS = 256;
/**
 * The smallest shard worth a thread: below 4 samples per-kernel overhead dominates a step, and
 * batch norm's statistics over 1 or 2 samples are degenerate. Smaller batches run on fewer threads.
 */
export const MIN_SHARD = 4;

/** A bad thread count (option or NETSPEC_THREADS): bad input, shown to the user as such. */
export class ThreadsError extends Error {
  override readonly name = 'ThreadsError';
}

/** Engines whose kernels run on one core each, so netspec trains on several engine instances. */
export const DATA_PARALLEL_ENGINES: readonly string[] = ['wasm', 'cpu'];

/**
 * The thread count asked for: `requested` (a number or 'auto'), else NETSPEC_THREADS, else
 * 'auto' = the machine's cores (`os.availableParallelism()`), at most DEFAULT_MAX_THREADS.
 */
export function resolveThreads(requested?: number | 'auto'): number {
  const fromEnv = requested === undefined ? process.env.NETSPEC_THREADS || undefined : undefined;
  const want = requested ?? fromEnv ?? 'auto';
  if (want === 'auto') return Math.max(1, Math.min(availableParallelism(), DEFAULT_MAX_THREADS));
  const n = typeof want === 'number' ? want : /^\s*\d+\s*$/.test(want) ? Number(want) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_THREADS) {
    const source = fromEnv === undefined ? 'threads' : 'NETSPEC_THREADS';
    throw new ThreadsError(
      `${source}: expected a whole number from 1 to ${MAX_THREADS} or "auto", got "${want}"`,
    );
  }
  return n;
}

/**
 * The contiguous shards [start, end) of a batch of `size` samples over at most `threads`
 * threads: as many shards as keep MIN_SHARD samples each, sizes differing by at most one (the
 * first ones larger). Shard 0 runs on the main thread.
 */
export function shardRanges(size: number, threads: number): [number, number][] {
  const count = Math.max(1, Math.min(threads, Math.floor(size / MIN_SHARD)));
  const base = Math.floor(size / count);
  const extra = size % count;
  const ranges: [number, number][] = [];
  let start = 0;
  for (let k = 0; k < count; k++) {
    const end = start + base + (k < extra ? 1 : 0);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}
