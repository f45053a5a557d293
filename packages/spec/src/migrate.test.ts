import { describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { validateSpec } from './resolve/validate.js';
import { SPEC_VERSION } from './schema/spec.js';

describe('migrate', () => {
  it('passes the current version through untouched', () => {
    const spec = { specVersion: SPEC_VERSION, name: 't' };
    const r = migrate(spec);
    expect(r).toEqual({ ok: true, value: spec });
    expect(r.ok && r.value).toBe(spec);
  });

  it('rejects a newer version at /specVersion', () => {
    expect(migrate({ specVersion: SPEC_VERSION + 1 })).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/specVersion',
          message: expect.stringMatching(
            /specVersion 2, newer than this netspec reads \(up to 1\); upgrade netspec/,
          ),
        },
      ],
    });
  });

  it('upgrades a version-0 spec with an injected migration and sets specVersion', () => {
    const r = migrate(
      { specVersion: 0, title: 'old' },
      { 0: ({ title, ...rest }) => ({ ...rest, name: title }) },
      1,
    );
    expect(r).toEqual({ ok: true, value: { specVersion: 1, name: 'old' }, from: 0 });
  });

  it('chains migrations in order', () => {
    const seen: number[] = [];
    const step = (v: number) => (s: Record<string, unknown>) => {
      seen.push(v);
      return { ...s, [`by${v}`]: s.specVersion };
    };
    const r = migrate({ specVersion: 0 }, { 0: step(0), 1: step(1) }, 2);
    expect(seen).toEqual([0, 1]);
    expect(r).toEqual({ ok: true, value: { specVersion: 2, by0: 0, by1: 1 }, from: 0 });
  });

  it('reports a missing step as an issue', () => {
    expect(migrate({ specVersion: 0 }, { 0: (s) => s }, 2)).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/specVersion',
          message: 'expected specVersion 2, got 0: no migration from version 1 exists',
        },
      ],
    });
    // Through validation, with the real (empty) table.
    expect(validateSpec({ specVersion: 0, name: 't', inputs: [], layers: [] })).toEqual({
      ok: false,
      issues: [
        {
          pointer: '/specVersion',
          message: 'expected specVersion 1, got 0: no migration from version 0 exists',
        },
      ],
    });
  });

  it('leaves what is not an integer version to validation', () => {
    for (const raw of [null, [1], 'spec', { specVersion: '1' }, { specVersion: 0.5 }])
      expect(migrate(raw, { 0: () => ({}) }, 1)).toEqual({ ok: true, value: raw });
    const r = validateSpec({
      specVersion: 0.5,
      name: 't',
      inputs: [{ id: 'x', shape: [1] }],
      layers: [{ id: 'd', type: 'dense', units: 1 }],
    });
    expect(r.ok ? [] : r.issues).toEqual([
      { pointer: '/specVersion', message: 'expected specVersion 1, got 0.5' },
    ]);
  });
});
