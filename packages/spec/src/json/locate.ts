import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { fromPointer } from '../errors/issue.js';

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

type Location = { line: number; column: number };

/**
 * A function from JSON pointer to where it lands in the text: the value itself, or for a missing
 * key the nearest enclosing value; undefined when the text does not parse. The text is parsed
 * once, however many pointers are asked.
 */
export function pointerLocator(file: string): (pointer: string) => Location | undefined {
  // parseJson skips a byte-order mark, and editors do not count it as a column.
  const text = file.charCodeAt(0) === 0xfeff ? file.slice(1) : file;
  const root = parseTree(text);
  return (pointer) => {
    if (!root) return undefined;
    const path = fromPointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n));
      if (node) {
        // Point at the key of a property rather than its value when the key itself is the problem.
        const offset =
          n === path.length && node.parent?.type === 'property' && node.parent.children?.[0]
            ? node.parent.children[0].offset
            : node.offset;
        return lineColumn(text, offset);
      }
    }
    return undefined;
  };
}

/** Where one JSON pointer lands in the text (see pointerLocator). */
export function locatePointer(file: string, pointer: string): Location | undefined {
  return pointerLocator(file)(pointer);
}
