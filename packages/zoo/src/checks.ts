// Option checks shared by the factories: a bad option throws one line naming the factory and key.

export function positiveInt(factory: string, key: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${factory}: ${key} must be a positive integer, got ${value}`);
}

/** A dropout rate: 0 <= value < 1. */
export function rate(factory: string, key: string, value: number): void {
  if (!(value >= 0 && value < 1))
    throw new Error(`${factory}: ${key} must be in [0, 1), got ${value}`);
}
