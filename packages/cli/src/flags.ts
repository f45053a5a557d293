import { InvalidArgumentError } from 'commander';

// Flag parsers of the engine commands (options.ts has positiveInteger and the spec limits).

/** A non-negative integer (seeds). */
export function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
}

/**
 * A thread count: a whole number from 1 to 256, or "auto" (the machine's cores). backend-tfjs
 * checks the same bounds; they are repeated here so a bad flag fails before tfjs loads.
 */
export function threadCount(value: string): number | 'auto' {
  if (value.trim() === 'auto') return 'auto';
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 256)
    throw new InvalidArgumentError(
      `expected a whole number from 1 to 256 or "auto", got "${value}"`,
    );
  return n;
}

/** A number in [0, 1) (validation split). */
export function fractionBelowOne(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n >= 0 && n < 1))
    throw new InvalidArgumentError(`expected a number in [0, 1), got "${value}"`);
  return n;
}

/** Any finite number (thresholds). */
export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** `metric=value` (repeatable thresholds), collected into a record. */
export function metricThreshold(
  value: string,
  previous: Record<string, number> = {},
): Record<string, number> {
  const m = /^([A-Za-z][\w-]*)=(.+)$/.exec(value.trim());
  const n = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected metric=value (like accuracy=0.9), got "${value}"`);
  return { ...previous, [m[1] as string]: n };
}

/** Comma-separated names, each one of `allowed`. */
export function nameList(allowed: readonly string[]) {
  return (value: string): string[] => {
    const names = value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = names.find((n) => !allowed.includes(n));
    if (bad !== undefined || names.length === 0)
      throw new InvalidArgumentError(
        `expected a comma-separated list of ${allowed.join(', ')}, got "${bad ?? value}"`,
      );
    return names;
  };
}
