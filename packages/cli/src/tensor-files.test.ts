import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeOutputs, nestedArray, readInputFile } from './tensor-files.js';

const image = { name: 'image', shape: [2, 2, 1], dtype: 'float32' as const };

describe('predict inputs and outputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-tensor-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads nested JSON arrays, adding the batch axis to one sample', async () => {
    const one = await readInputFile(file('one.json', '[[[1],[2]],[[3],[4]]]'), [image]);
    expect(one.image?.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(one.image?.data ?? [])).toEqual([1, 2, 3, 4]);
    const named = await readInputFile(file('named.json', '{"image": [[[[0],[0]],[[0],[1]]]]}'), [
      image,
    ]);
    expect(named.image?.shape).toEqual([1, 2, 2, 1]);
  });

  it('says where a JSON array goes wrong', () => {
    expect(() => nestedArray([[1, 2], [3]], 'x.json')).toThrow(
      /x\.json\/1: expected an array of 2/,
    );
    expect(() => nestedArray([[1, 'a']], 'x.json')).toThrow(
      /x\.json\/0\/1: expected a finite number, got "a"/,
    );
  });

  it('rejects shapes and keys that do not fit', async () => {
    await expect(readInputFile(file('bad.json', '[[1, 2, 3]]'), [image])).rejects.toThrow(
      /expects samples of shape \[2, 2, 1\] \(or a batch of them\), got \[1, 3\]/,
    );
    await expect(readInputFile(file('key.json', '{"x": [1]}'), [image])).rejects.toThrow(/"image"/);
    await expect(readInputFile(file('a.txt', '1'), [image])).rejects.toThrow(
      /\.npy, \.json or \.png/,
    );
  });

  it('writes .json for any outputs and .npy for one', async () => {
    const out = { y: { data: Float32Array.from([0.5, 0.25]), shape: [1, 2] } };
    expect(JSON.parse((await encodeOutputs('o.json', out)) as string)).toEqual({
      y: { shape: [1, 2], data: [0.5, 0.25] },
    });
    const npy = (await encodeOutputs('o.npy', out)) as Uint8Array;
    expect(Array.from(npy.subarray(1, 6), (b) => String.fromCharCode(b)).join('')).toBe('NUMPY');
    await expect(encodeOutputs('o.npy', { ...out, z: out.y })).rejects.toThrow(
      /2 outputs; expected a \.json/,
    );
  });
});
