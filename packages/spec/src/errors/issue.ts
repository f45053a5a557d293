/** One problem in a spec: where (a JSON pointer into the file) and what was expected. */
export interface SpecIssue {
  /** RFC 6901 pointer; "" is the whole document. */
  pointer: string;
  message: string;
}

/** Thrown by APIs that need a valid spec; carries every problem found, sorted. */
export class SpecError extends Error {
  constructor(readonly issues: SpecIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'SpecError';
  }
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Document order for pointers: array indices compare as numbers. */
export function comparePointers(a: string, b: string): number {
  const pa = fromPointer(a);
  const pb = fromPointer(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : Number.NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : Number.NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Sorted by pointer, each problem once. */
export function sortIssues(issues: SpecIssue[]): SpecIssue[] {
  const seen = new Set<string>();
  return issues
    .filter((i) => {
      const key = `${i.pointer}\u0000${i.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => comparePointers(a.pointer, b.pointer) || (a.message < b.message ? -1 : 1));
}

export function formatIssue(issue: SpecIssue): string {
  return `${issue.pointer || '(root)'}  ${issue.message}`;
}

/** A value as a message shows it: short JSON, or its kind when long. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.parse reads 1e400 as Infinity, which JSON.stringify would print as null.
  if (typeof value === 'number' && !Number.isFinite(value))
    return `${value} (a number too large to represent)`;
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const json = JSON.stringify(value);
    if (json.length <= 40) return json;
    return Array.isArray(value) ? `an array of ${value.length} items` : 'an object';
  }
  const json = JSON.stringify(value);
  return json.length <= 60 ? json : `${json.slice(0, 57)}..."`;
}
