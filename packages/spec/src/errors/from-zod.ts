import type { z } from 'zod';
import { suggestion } from './did-you-mean.js';
import { describeValue, type SpecIssue, toPointer } from './issue.js';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;
type Path = PropertyKey[];

const UNION = '\u0000union';
const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

/**
 * Parse-time error map: turns zod's default messages into the "expected ..." phrase of our
 * messages. Phrases set on a schema (`{ error }`) take precedence over this map.
 */
export function expectedPhrase(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return article(issue.expected);
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
        : `a value >= ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} items`
        : `a value <= ${issue.maximum}`;
    case 'invalid_format':
      return `a string in the ${issue.format} format`;
    case 'invalid_union':
      return UNION;
    default:
      return 'a valid value';
  }
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

type AnySchema = z.core.$ZodType;
const defOf = (s: AnySchema) => s._zod.def as unknown as Record<string, unknown> & { type: string };

/** The object schema that validated the value at `path`, to list the keys it allows. */
function objectSchemaAt(
  schema: AnySchema,
  path: Path,
  root: unknown,
  depth = 0,
): Record<string, unknown> | undefined {
  const def = defOf(schema);
  const here = valueAt(root, path.slice(0, depth));
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
      return objectSchemaAt(def.innerType as AnySchema, path, root, depth);
    case 'union': {
      // Objects whose `type` literal matches the value first, then nested unions.
      const type = (here as { type?: unknown } | undefined)?.type;
      for (const option of def.options as AnySchema[]) {
        const o = defOf(option);
        if (o.type === 'object') {
          const literal = (o.shape as Record<string, AnySchema>).type;
          if (literal && !(defOf(literal).values as unknown[]).includes(type)) continue;
        } else if (o.type !== 'union') continue;
        const found = objectSchemaAt(option, path, root, depth);
        if (found) return found;
      }
      return undefined;
    }
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      if (depth === path.length) return shape;
      const next = shape[String(path[depth])];
      return next ? objectSchemaAt(next, path, root, depth + 1) : undefined;
    }
    case 'array':
      return depth === path.length
        ? undefined
        : objectSchemaAt(def.element as AnySchema, path, root, depth + 1);
    case 'record':
      return depth === path.length
        ? undefined
        : objectSchemaAt(def.valueType as AnySchema, path, root, depth + 1);
    default:
      return undefined;
  }
}

/** What the union's discriminator names, for "unknown layer type" or "unknown optimizer type". */
function discriminatorNoun(path: Path): string {
  const parent = [...path.slice(0, -1)].reverse().find((p) => typeof p === 'string') as
    | string
    | undefined;
  if (!parent) return 'type';
  const noun =
    parent === 'layers'
      ? 'layer'
      : parent === 'layer'
        ? 'wrapped layer'
        : parent === 'metrics'
          ? 'metric'
          : parent;
  return `${noun} type`;
}

/** A union branch that failed only because the value has another JSON type. */
function wrongKindOnly(branch: Issue[], value: unknown): boolean {
  return branch.every(
    (i) =>
      i.path.length === 0 &&
      (i.code === 'invalid_type' ||
        (i.code === 'invalid_value' && !i.values.some((v) => typeof v === typeof value))),
  );
}

class Translator {
  readonly out: SpecIssue[] = [];
  constructor(
    private readonly schema: AnySchema,
    private readonly root: unknown,
  ) {}

  add(path: Path, message: string) {
    this.out.push({ pointer: toPointer(path), message });
  }

  issue(issue: Issue, base: Path): void {
    const path = [...base, ...issue.path];
    const value = valueAt(this.root, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        this.unknownKeys(issue.keys, path);
        break;
      case 'invalid_union':
        this.union(issue, path, value);
        break;
      case 'invalid_key': {
        const expected = issue.issues[0]?.message ?? 'a valid name';
        this.add(
          path,
          `invalid name ${JSON.stringify(String(path.at(-1) ?? ''))}; expected ${expected}`,
        );
        break;
      }
      default: {
        if (value === undefined) {
          this.add(path, `missing; expected ${issue.message}`);
          break;
        }
        const hint =
          issue.code === 'invalid_value' ? suggestion(value, issue.values.map(String)) : '';
        this.add(path, `expected ${issue.message}, got ${describeValue(value)}${hint}`);
      }
    }
  }

  private unknownKeys(keys: string[], path: Path) {
    const allowed = Object.keys(objectSchemaAt(this.schema, path, this.root) ?? {});
    const list = allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
    for (const key of keys)
      this.add([...path, key], `unknown key "${key}"${list}${suggestion(key, allowed)}`);
  }

  private union(issue: Extract<Issue, { code: 'invalid_union' }>, path: Path, value: unknown) {
    const options = (issue as { options?: unknown[] }).options;
    if (options) {
      const names = options.map(String);
      const noun = discriminatorNoun(path);
      const head =
        value === undefined ? `missing ${noun}` : `unknown ${noun} ${describeValue(value)}`;
      return this.add(
        path,
        `${head}; expected one of ${names.join(', ')}${suggestion(value, names)}`,
      );
    }
    const fitting = issue.errors.filter((b) => !wrongKindOnly(b, value));
    const chosen = fitting[0];
    if (chosen) {
      for (const i of chosen) this.issue(i, path);
      return;
    }
    const expected =
      issue.message !== UNION
        ? issue.message
        : [...new Set(issue.errors.map((b) => b[0]?.message ?? 'a valid value'))].join(' or ');
    this.add(
      path,
      value === undefined
        ? `missing; expected ${expected}`
        : `expected ${expected}, got ${describeValue(value)}`,
    );
  }
}

/** Our messages for zod's issues on `root` validated by `schema`. */
export function fromZod(
  issues: readonly Issue[],
  schema: AnySchema,
  root: unknown,
  base: Path = [],
): SpecIssue[] {
  const t = new Translator(schema, root);
  for (const issue of issues) t.issue(issue, base);
  return t.out;
}
