// Parity (DESIGN.md): the same inputs through several engines, error per engine and output.
import type { ModelRunner, RunnerTensor } from '@netspec/spec';

/** fp32 bar of CPU and wasm engines: `|a-b| <= tol * max(1, |b|)`. */
export const CPU_TOLERANCE = 1e-4;
/** GPU engines (CUDA, WebGPU) use TF32 and other fast paths by default (DESIGN.md). */
export const GPU_TOLERANCE = 1e-3;

/** The errors of one tensor against its reference. */
export interface TensorError {
  /** max |a - b|; Infinity when shapes differ or only one side is NaN. */
  maxAbs: number;
  /** max |a - b| / max(1, |b|): the quantity the tolerance bounds. */
  maxRel: number;
  /** Why the tensors could not be compared element by element, if so. */
  note?: string;
}

/** One candidate engine's output against the reference. */
export interface OutputParity extends TensorError {
  engine: string;
  output: string;
  pass: boolean;
}

export interface ParityReport {
  reference: string;
  tolerance: number;
  rows: OutputParity[];
  /** Every row passes. */
  pass: boolean;
  /** The rows as a text table: engine, output, maxAbs, maxRel, pass. */
  table: string;
}

export interface CompareOptions {
  /** Relative bar (default CPU_TOLERANCE; GPU_TOLERANCE for GPU engines). */
  tolerance?: number;
}

/** Error of `actual` against `expected`, element by element. */
export function tensorError(actual: RunnerTensor | undefined, expected: RunnerTensor): TensorError {
  const inf = Number.POSITIVE_INFINITY;
  if (!actual) return { maxAbs: inf, maxRel: inf, note: 'missing' };
  if (actual.shape.join() !== expected.shape.join()) {
    return { maxAbs: inf, maxRel: inf, note: `shape [${actual.shape}] vs [${expected.shape}]` };
  }
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const b = expected.data[i] as number;
    const a = actual.data[i] as number;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    const abs = a === b ? 0 : Math.abs(a - b);
    if (Number.isNaN(abs)) return { maxAbs: inf, maxRel: inf, note: `NaN at ${i}` };
    maxAbs = Math.max(maxAbs, abs);
    maxRel = Math.max(maxRel, abs / Math.max(1, Math.abs(b)));
  }
  return { maxAbs, maxRel };
}

/** Whether an error is within `tolerance` (the bar on maxRel). */
export const withinTolerance = (e: TensorError, tolerance: number) =>
  !e.note && e.maxRel <= tolerance;

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

/** The rows as an aligned text table. */
export function formatParityTable(rows: readonly OutputParity[], tolerance: number): string {
  const head = ['engine', 'output', 'maxAbs', 'maxRel', `pass (tol ${tolerance})`];
  const body = rows.map((r) => [
    r.engine,
    r.output,
    fmt(r.maxAbs),
    fmt(r.maxRel),
    r.pass ? 'yes' : `NO${r.note ? ` (${r.note})` : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), ...body.map(line)].join('\n').replace(/ +$/gm, '');
}

/**
 * Runs the reference and every candidate on `inputs` and compares each of the reference's
 * outputs. The runners are not disposed: the caller owns them.
 */
export async function compareRunners(
  reference: ModelRunner,
  candidates: readonly ModelRunner[],
  inputs: Record<string, RunnerTensor>,
  options: CompareOptions = {},
): Promise<ParityReport> {
  const tolerance = options.tolerance ?? CPU_TOLERANCE;
  const expected = await reference.run(inputs);
  const rows: OutputParity[] = [];
  for (const candidate of candidates) {
    const actual = await candidate.run(inputs);
    for (const output of reference.outputNames) {
      const error = tensorError(actual[output], expected[output] as RunnerTensor);
      rows.push({
        engine: candidate.engine,
        output,
        ...error,
        pass: withinTolerance(error, tolerance),
      });
    }
  }
  return {
    reference: reference.engine,
    tolerance,
    rows,
    pass: rows.every((r) => r.pass),
    table: formatParityTable(rows, tolerance),
  };
}
