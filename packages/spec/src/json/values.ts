/** A JSON object (not an array, not null): what `{ ... }` parses to. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
