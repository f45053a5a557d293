import type { SpecIssue } from './errors/issue.js';
import { isJsonObject } from './json/values.js';
import { SPEC_VERSION } from './schema/spec.js';

type Json = Record<string, unknown>;
/** Rewrites a spec of version n into version n + 1. */
export type Migration = (spec: Json) => Json;

/**
 * Migrations keyed by the version they upgrade from. Version 1 is the first release, so the
 * table is empty; the next breaking change of the format adds `1: (spec) => ...` here.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export type MigrationResult =
  | { ok: true; value: unknown; from?: number }
  | { ok: false; issues: SpecIssue[] };

/**
 * Brings an older spec up to `current` before validation. Anything that is not an object with
 * an integer specVersion is passed through: validation reports it.
 */
export function migrate(
  raw: unknown,
  migrations = MIGRATIONS,
  current = SPEC_VERSION,
): MigrationResult {
  if (!isJsonObject(raw)) return { ok: true, value: raw };
  const version = raw.specVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version === current)
    return { ok: true, value: raw };
  if (version > current) {
    const message = `this spec is for specVersion ${version}, newer than this netspec reads (up to ${current}); upgrade netspec`;
    return { ok: false, issues: [{ pointer: '/specVersion', message }] };
  }
  let spec: Json = raw;
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) {
      const message = `expected specVersion ${current}, got ${version}: no migration from version ${v} exists`;
      return { ok: false, issues: [{ pointer: '/specVersion', message }] };
    }
    spec = { ...step(spec), specVersion: v + 1 };
  }
  return { ok: true, value: spec, from: version };
}
