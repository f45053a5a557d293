import { InvalidArgumentError, Option } from 'commander';

/** Parses a flag value as a positive integer, or fails with the flag's expectation. */
export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  }
  return n;
}

/** The budgets every spec-reading command accepts. */
export const limitOptions = () => [
  new Option('--max-params <n>', 'reject models with more parameters than this').argParser(
    positiveInteger,
  ),
  new Option(
    '--max-tensor-elements <n>',
    'reject activations with more values per sample',
  ).argParser(positiveInteger),
];

export interface LimitFlags {
  maxParams?: number;
  maxTensorElements?: number;
}

export const limitsOf = (o: LimitFlags) => ({
  ...(o.maxParams ? { maxParams: o.maxParams } : {}),
  ...(o.maxTensorElements ? { maxTensorElements: o.maxTensorElements } : {}),
});
