import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateSpec } from '../resolve/validate.js';
import { expectedPhrase, fromZod } from './from-zod.js';

/** Issues of a spec with one input `x` (4) and the given layer. */
function layerIssues(layer: Record<string, unknown>) {
  const r = validateSpec({
    specVersion: 1,
    name: 't',
    inputs: [{ id: 'x', shape: [4] }],
    layers: [layer],
  });
  if (r.ok) throw new Error('expected issues');
  return r.issues;
}

describe('fromZod', () => {
  it('says a missing key is missing and what was expected', () => {
    expect(layerIssues({ id: 'd', type: 'dense' })).toEqual([
      { pointer: '/layers/0/units', message: 'missing; expected a positive integer' },
    ]);
  });

  it('says what came for a wrong type', () => {
    expect(layerIssues({ id: 'd', type: 'dense', units: '8' })).toEqual([
      { pointer: '/layers/0/units', message: 'expected a positive integer, got "8"' },
    ]);
    expect(layerIssues({ id: 'd', type: 'dense', units: 4, useBias: 'yes' })).toEqual([
      { pointer: '/layers/0/useBias', message: 'expected a boolean, got "yes"' },
    ]);
  });

  it('lists the allowed keys of an unknown key, with did-you-mean', () => {
    const [issue, ...rest] = layerIssues({ id: 'd', type: 'dense', units: 4, activaton: 'relu' });
    expect(rest).toEqual([]);
    expect(issue?.pointer).toBe('/layers/0/activaton');
    expect(issue?.message).toMatch(
      /^unknown key "activaton"; expected one of id, type, inputs, trainable, units, activation, useBias, /,
    );
    expect(issue?.message).toMatch(/\(did you mean "activation"\?\)$/);
  });

  it('names an unknown layer type with the known ones and did-you-mean', () => {
    const [issue, ...rest] = layerIssues({ id: 'd', type: 'conv2D', filters: 4 });
    expect(rest).toEqual([]);
    expect(issue?.pointer).toBe('/layers/0/type');
    expect(issue?.message).toMatch(
      /^unknown layer type "conv2D"; expected one of dense, .*, conv2d, .* \(did you mean "conv2d"\?\)$/,
    );
    expect(layerIssues({ id: 'd', units: 4 })).toEqual([
      {
        pointer: '/layers/0/type',
        message: expect.stringMatching(/^missing layer type; expected one of dense, /),
      },
    ]);
  });

  it('follows the activation union branch that fits the JSON type', () => {
    const act = (activation: unknown) =>
      layerIssues({ id: 'd', type: 'dense', units: 4, activation });
    // a string: the names, with did-you-mean
    expect(act('relux')).toEqual([
      {
        pointer: '/layers/0/activation',
        message: expect.stringMatching(
          /^expected one of "linear", "relu", .*, got "relux" \(did you mean "relu"\?\)$/,
        ),
      },
    ]);
    // an object: its own keys and discriminator
    expect(act({ type: 'leakyRelu', alpha: -1 })).toEqual([
      { pointer: '/layers/0/activation/alpha', message: 'expected a number >= 0, got -1' },
    ]);
    expect(act({ type: 'leakyRelU' })).toEqual([
      {
        pointer: '/layers/0/activation/type',
        message:
          'unknown activation type "leakyRelU"; expected one of leakyRelu, elu, softmax, logSoftmax, gelu (did you mean "leakyRelu"?)',
      },
    ]);
    expect(act({ type: 'elu', alpa: 1 })).toEqual([
      {
        pointer: '/layers/0/activation/alpa',
        message: 'unknown key "alpa"; expected one of type, alpha (did you mean "alpha"?)',
      },
    ]);
    // a swap of two neighbours is one typo
    expect(act('rleu')).toEqual([
      {
        pointer: '/layers/0/activation',
        message: expect.stringMatching(/, got "rleu" \(did you mean "relu"\?\)$/),
      },
    ]);
    // neither: both branches are named
    expect(act(5)).toEqual([
      {
        pointer: '/layers/0/activation',
        message: expect.stringMatching(
          /^expected one of "linear", .*"exponential" or an object, got 5$/,
        ),
      },
    ]);
  });

  it('translates issues of any schema with a base path', () => {
    const schema = z.strictObject({ size: z.number(), name: z.string() });
    const value = { size: 'big', nmae: 'x' };
    const parsed = schema.safeParse(value, { error: expectedPhrase, reportInput: true });
    if (parsed.success) throw new Error('expected a failure');
    const issues = fromZod(parsed.error.issues, schema, value);
    expect(issues).toEqual(
      expect.arrayContaining([
        { pointer: '/size', message: 'expected a number, got "big"' },
        { pointer: '/name', message: 'missing; expected a string' },
        {
          pointer: '/nmae',
          message: 'unknown key "nmae"; expected one of size, name (did you mean "name"?)',
        },
      ]),
    );
    expect(issues).toHaveLength(3);
  });
});
