import { describe, expect, it } from 'vitest';
import { readPixelRows } from './pixel-json.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const read = (s: string, rowLength = 3, maxRows = 4) =>
  readPixelRows(bytes(s), 'c.json', rowLength, maxRows);

describe('readPixelRows', () => {
  it('reads rows of bytes, skipping empty rows, with JSON whitespace anywhere', () => {
    const r = read('{"data":[[1,2,3],[],[0,255,9]]}');
    expect(r.rows).toBe(2);
    expect(Array.from(r.pixels)).toEqual([1, 2, 3, 0, 255, 9]);
    const spaced = read(' \n{ "data" :\t[ [ 4 , 5,6 ] ,\r\n[7,8,9]\n] }\n');
    expect(Array.from(spaced.pixels)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(read('{"data":[]}').rows).toBe(0);
  });

  it('agrees with JSON.parse on a larger document', () => {
    const rows = Array.from({ length: 4 }, (_, i) =>
      Array.from({ length: 3 }, (_, j) => (i * 71 + j * 13) % 256),
    );
    const r = read(JSON.stringify({ data: rows }));
    expect(Array.from(r.pixels)).toEqual(rows.flat());
  });

  it('rejects anything outside the format, naming the byte offset', () => {
    const cases: [string, string][] = [
      ['', "c.json at byte 0: expected '{', got the end of the file"],
      ['[[1,2,3]]', 'c.json at byte 0: expected \'{\', got "["'],
      ['{"images":[]}', 'c.json at byte 1: expected the key "data", got "\\""'],
      ['{"data" [', 'c.json at byte 8: expected \':\', got "["'],
      ['{"data":[[1,2,256]]}', 'c.json at byte 14: expected an integer pixel in 0..255, got "256"'],
      ['{"data":[[1,2,-3]]}', 'at byte 14: expected an integer pixel in 0..255, got "-3"'],
      ['{"data":[[1,2,03]]}', 'at byte 14: expected an integer pixel in 0..255, got "03"'],
      [
        '{"data":[[1,2,3.5]]}',
        'at byte 14: expected an integer pixel in 0..255, got a fraction or exponent',
      ],
      ['{"data":[[1,2,"3"]]}', 'at byte 14: expected an integer pixel in 0..255, got "\\"3\\""'],
      [
        '{"data":[[1,2,',
        'at byte 14: expected an integer pixel in 0..255, got the end of the file',
      ],
      [
        '{"data":[[1,2]]}',
        'c.json at byte 9: expected an array of 3 pixels (or an empty one), got 2',
      ],
      ['{"data":[[1,2,3,4]]}', 'at byte 9: expected an array of 3 pixels (or an empty one), got 4'],
      ['{"data":[[1,2,3] [4,5,6]]}', "at byte 17: expected ',' or ']', got \"[\""],
      ['{"data":[[1,2,3]', "at byte 16: expected ',' or ']', got the end of the file"],
      ['{"data":[[1,2,3]]}x', 'at byte 18: expected the end of the file, got more'],
      ['{"data":[[1,2,3],]}', 'at byte 17: expected \'[\' (an image), got "]"'],
      [
        '{"data":[[1,2,3],[1,2,3],[1,2,3],[1,2,3],[1,2,3]]}',
        'at byte 42: expected no more images, got more',
      ],
    ];
    for (const [text, message] of cases) expect(() => read(text), text).toThrow(message);
  });
});
