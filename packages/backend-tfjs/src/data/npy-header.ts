import { DataError } from './errors.js';

// The .npy header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False,
// 'shape': (60000, 28, 28), }. This reads only that subset of Python (never eval): strings,
// True/False, and tuples of non-negative integers.

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

type Value = string | boolean | number[];
interface Token {
  kind: 'punct' | 'string' | 'word' | 'int';
  text: string;
  at: number;
}

const KEYS = ['descr', 'fortran_order', 'shape'];

/** Parses the header text; `offsetOf(i)` maps a text index to a file byte offset for errors. */
export function parseNpyHeader(
  text: string,
  file: string,
  offsetOf: (index: number) => number,
): NpyHeader {
  const fail = (what: string, at: number) => new DataError(what, { file, offset: offsetOf(at) });
  const tokens = tokenize(text, fail);
  const dict = parseDict(tokens, text.length, fail);
  for (const key of KEYS) {
    if (!dict.has(key)) throw fail(`expected header key '${key}', got none`, 0);
  }
  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string')
    throw fail(`expected 'descr' a dtype string, got ${show(descr)}`, 0);
  if (typeof fortran !== 'boolean') {
    throw fail(`expected 'fortran_order' True or False, got ${show(fortran)}`, 0);
  }
  if (!Array.isArray(shape))
    throw fail(`expected 'shape' a tuple of integers, got ${show(shape)}`, 0);
  return { descr, fortranOrder: fortran, shape };
}

const show = (v: Value | undefined) =>
  v === undefined ? 'nothing' : Array.isArray(v) ? `(${v.join(', ')})` : JSON.stringify(v);

function tokenize(text: string, fail: (what: string, at: number) => DataError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if ('{}()[]:,'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, at: i++ });
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw fail('expected a closing quote, got the end of the header', i);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const m = /^(\d+)L?|^[A-Za-z_]+/.exec(text.slice(i, i + 32));
      if (m === null)
        throw fail(`expected a Python literal in the header, got ${JSON.stringify(c)}`, i);
      const int = m[1] !== undefined;
      tokens.push({ kind: int ? 'int' : 'word', text: int ? (m[1] as string) : m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

type Fail = (what: string, at: number) => DataError;

/** A read position over the tokens; `end` is the header length (where "its end" is). */
class Cursor {
  i = 0;
  constructor(
    readonly tokens: Token[],
    readonly end: number,
    readonly fail: Fail,
  ) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  next(): Token | undefined {
    return this.tokens[this.i++];
  }

  /** An error about the token at the cursor (or the header's end). */
  unexpected(expected: string, t = this.peek()): DataError {
    return this.fail(
      `expected ${expected} in the header, got ${t ? `'${t.text}'` : 'its end'}`,
      t?.at ?? this.end,
    );
  }

  expect(punct: string): void {
    const t = this.next();
    if (t?.kind !== 'punct' || t.text !== punct) throw this.unexpected(`'${punct}'`, t);
  }

  /** Skips a separating comma; otherwise the closing bracket must come next. */
  comma(close: string): void {
    if (this.peek()?.text === ',') this.i++;
    else if (this.peek()?.text !== close) throw this.unexpected(`',' or '${close}'`);
  }
}

function parseDict(tokens: Token[], end: number, fail: Fail): Map<string, Value> {
  const c = new Cursor(tokens, end, fail);
  const dict = new Map<string, Value>();
  c.expect('{');
  while (c.peek()?.text !== '}') {
    const key = c.peek();
    if (key?.kind !== 'string') throw c.unexpected('a quoted key');
    if (!KEYS.includes(key.text)) throw c.unexpected(`a key among ${KEYS.join(', ')}`);
    if (dict.has(key.text)) throw fail(`expected each key once, got '${key.text}' twice`, key.at);
    c.next();
    c.expect(':');
    dict.set(key.text, parseValue(c));
    c.comma('}');
  }
  c.expect('}');
  if (c.peek() !== undefined) throw c.unexpected('the end');
  return dict;
}

function parseValue(c: Cursor): Value {
  const t = c.next();
  if (t?.kind === 'string') return t.text;
  if (t?.kind === 'word' && (t.text === 'True' || t.text === 'False')) return t.text === 'True';
  if (t?.text === '[')
    throw c.fail(`expected a dtype string in the header, got '[' (a structured dtype)`, t.at);
  if (t?.text !== '(') throw c.unexpected('a string, True, False or a tuple', t);
  const dims: number[] = [];
  while (c.peek()?.text !== ')') {
    const d = c.peek();
    if (d?.kind !== 'int') throw c.unexpected('a dimension (an integer)');
    dims.push(Number(d.text));
    c.next();
    c.comma(')');
  }
  c.next();
  return dims;
}
