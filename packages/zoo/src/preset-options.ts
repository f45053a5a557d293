import { didYouMean } from '@netspec/spec';

/** How a preset option's string value (`--set key=value`) is read. */
export type PresetOptionType = 'integer' | 'number' | 'boolean' | 'string' | 'enum';
export type PresetValue = number | boolean | string;

/** One factory option a user may override on a preset. */
export interface PresetOption {
  name: string;
  type: PresetOptionType;
  /** The preset's value; absent when derived from other options (the doc says how). */
  default?: PresetValue;
  /** The allowed values of an `enum`. */
  values?: readonly string[];
  /** Inclusive lower bound of an `integer` or `number`. */
  min?: number;
  /** Inclusive upper bound of an `integer` or `number`. */
  max?: number;
  /** Exclusive upper bound of a `number` (dropout rates). */
  below?: number;
  /** One line. */
  doc: string;
}

/** A preset name or option value a user gave that does not fit; `key` is the option, if any. */
export class PresetOptionError extends Error {
  override readonly name = 'PresetOptionError';
  constructor(
    message: string,
    readonly preset: string,
    readonly key?: string,
  ) {
    super(message);
  }
}

// Builders for the option tables: the name, the preset's value, one line of doc.
export const integer = (
  name: string,
  value: number | undefined,
  doc: string,
  min = 1,
  max?: number,
) =>
  ({
    name,
    type: 'integer',
    ...(value === undefined ? {} : { default: value }),
    min,
    ...(max === undefined ? {} : { max }),
    doc,
  }) as PresetOption;
export const rateOption = (name: string, value: number, doc: string): PresetOption => ({
  name,
  type: 'number',
  default: value,
  min: 0,
  below: 1,
  doc,
});
export const number = (name: string, value: number, doc: string, min = 0): PresetOption => ({
  name,
  type: 'number',
  default: value,
  min,
  doc,
});
export const boolean = (name: string, value: boolean, doc: string): PresetOption => ({
  name,
  type: 'boolean',
  default: value,
  doc,
});
export const oneOf = (name: string, values: readonly string[], value: string, doc: string) =>
  ({ name, type: 'enum', default: value, values, doc }) as PresetOption;

/** The range of a numeric option in words: ">= 1", "in [0, 1)", "in [1, 30]". */
function range(o: PresetOption): string {
  const low = o.min ?? Number.NEGATIVE_INFINITY;
  if (o.below !== undefined) return `in [${low}, ${o.below})`;
  if (o.max !== undefined) return `in [${low}, ${o.max}]`;
  return `>= ${low}`;
}

/** What an option accepts, for messages and help. */
export function describeOption(o: PresetOption): string {
  switch (o.type) {
    case 'integer':
      return `an integer ${range(o)}`;
    case 'number':
      return `a number ${range(o)}`;
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(o.values ?? []).join(', ')}`;
    default:
      return 'a non-empty string';
  }
}

function parseNumber(o: PresetOption, text: string): number | undefined {
  const t = text.trim();
  if (o.type === 'integer' && !/^[+-]?[0-9]+$/.test(t)) return undefined;
  const v = t === '' ? Number.NaN : Number(t);
  if (!Number.isFinite(v) || (o.type === 'integer' && !Number.isSafeInteger(v))) return undefined;
  if (o.min !== undefined && v < o.min) return undefined;
  if (o.max !== undefined && v > o.max) return undefined;
  if (o.below !== undefined && v >= o.below) return undefined;
  return v;
}

/** Reads `text` as option `o`'s type, or throws a PresetOptionError naming the key. */
export function parseOption(preset: string, o: PresetOption, text: string): PresetValue {
  let value: PresetValue | undefined;
  if (o.type === 'integer' || o.type === 'number') value = parseNumber(o, text);
  else if (o.type === 'boolean')
    value = text === 'true' ? true : text === 'false' ? false : undefined;
  else if (o.type === 'enum') value = o.values?.includes(text) ? text : undefined;
  else value = text === '' ? undefined : text;
  if (value !== undefined) return value;
  const close = o.type === 'enum' ? didYouMean(text, o.values ?? []) : undefined;
  const hint = close ? ` (did you mean "${close}"?)` : '';
  throw new PresetOptionError(
    `${preset}: option "${o.name}": expected ${describeOption(o)}, got ${JSON.stringify(text)}${hint}`,
    preset,
    o.name,
  );
}

/** The options by name, each override parsed; throws on an unknown key (with a did-you-mean). */
export function parseOverrides(
  preset: string,
  options: readonly PresetOption[],
  overrides: Record<string, string>,
): Record<string, PresetValue> {
  const names = options.map((o) => o.name);
  const values: Record<string, PresetValue> = {};
  for (const [key, text] of Object.entries(overrides)) {
    const option = options.find((o) => o.name === key);
    if (!option) {
      const known = names.length ? `expected one of ${names.join(', ')}` : 'this preset has none';
      const close = didYouMean(key, names);
      throw new PresetOptionError(
        `${preset}: unknown option "${key}"; ${known}${close ? ` (did you mean "${close}"?)` : ''}`,
        preset,
        key,
      );
    }
    values[key] = parseOption(preset, option, text);
  }
  return values;
}
