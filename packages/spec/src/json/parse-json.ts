import {
  getLocation,
  type JSONPath,
  type ParseErrorCode,
  printParseErrorCode,
  visit,
} from 'jsonc-parser';
import { type SpecIssue, toPointer } from '../errors/issue.js';
import { lineColumn } from './locate.js';

export interface JsonOptions {
  /** Deepest nesting of arrays and objects accepted (a spec needs about 8). */
  maxDepth?: number;
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; issues: SpecIssue[] };

const WORDS: Partial<Record<string, string>> = {
  InvalidSymbol: 'an invalid symbol',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":"',
  CommaExpected: 'expected ","',
  CloseBraceExpected: 'expected "}"',
  CloseBracketExpected: 'expected "]"',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'an unterminated comment',
  UnexpectedEndOfString: 'an unterminated string',
  UnexpectedEndOfNumber: 'a number cut short',
  InvalidUnicode: 'an invalid \\u escape',
  InvalidEscapeCharacter: 'an invalid escape character',
  InvalidCharacter: 'a character that must be escaped',
};

/** Deepest nesting, counted without recursion so that hostile input cannot overflow the stack. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** Past this depth even reporting where would recurse too deep; report at the root instead. */
const PARSER_SAFE_DEPTH = 2000;

/**
 * Parses strict JSON (no comments, no trailing commas), rejecting what JSON.parse would accept
 * silently: duplicate keys (it keeps the last) and absurd nesting.
 */
export function parseJson(text: string, options: JsonOptions = {}): JsonResult {
  const maxDepth = options.maxDepth ?? 64;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const depth = nestingDepth(body);
  if (depth > PARSER_SAFE_DEPTH) {
    const most = Math.min(maxDepth, PARSER_SAFE_DEPTH);
    return {
      ok: false,
      issues: [{ pointer: '', message: `nested ${depth} levels deep; expected at most ${most}` }],
    };
  }
  const issues: SpecIssue[] = [];
  const keys: Set<string>[] = [];
  let deepest: JSONPath | undefined;
  const enter = (path: () => JSONPath) => {
    if (keys.length > maxDepth && !deepest) deepest = path();
  };
  visit(
    body,
    {
      onObjectBegin: (_o, _l, _sl, _sc, path) => {
        keys.push(new Set());
        enter(path);
      },
      onObjectEnd: () => void keys.pop(),
      onArrayBegin: (_o, _l, _sl, _sc, path) => {
        keys.push(new Set());
        enter(path);
      },
      onArrayEnd: () => void keys.pop(),
      onObjectProperty: (name, _o, _l, _sl, _sc, path) => {
        const seen = keys.at(-1);
        if (seen?.has(name)) {
          issues.push({
            pointer: toPointer([...path(), name]),
            message: `duplicate key "${name}"; each key may appear once`,
          });
        }
        seen?.add(name);
      },
      onError: (code: ParseErrorCode, offset) => {
        if (issues.some((i) => i.message.startsWith('invalid JSON'))) return;
        const { line, column } = lineColumn(body, offset);
        const what = WORDS[printParseErrorCode(code)] ?? printParseErrorCode(code);
        const at = `at ${offset >= body.length ? 'the end of the file, ' : ''}line ${line}, column ${column}`;
        const location = getLocation(body, offset);
        // Where a key was expected, the problem is in the enclosing object, not a key named "".
        const path =
          location.isAtPropertyKey && location.path.at(-1) === ''
            ? location.path.slice(0, -1)
            : location.path;
        issues.push({ pointer: toPointer(path), message: `invalid JSON ${at}: ${what}` });
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (deepest) {
    issues.push({
      pointer: toPointer(deepest),
      message: `nested ${depth} levels deep; expected at most ${maxDepth}`,
    });
  }
  // After a syntax error the parser guesses; keys it then "duplicates" are not the user's.
  const syntax = issues.filter((i) => i.message.startsWith('invalid JSON'));
  if (syntax.length) return { ok: false, issues: syntax };
  if (issues.length) return { ok: false, issues };
  return { ok: true, value: JSON.parse(body) };
}
