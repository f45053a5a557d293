import { describe, expect, it } from 'vitest';
import { buildModel } from './model/build.js';
import { tfjsRunner } from './runner.js';
import { tf } from './tf.js';

const spec = {
  specVersion: 1,
  name: 'two',
  inputs: [
    { id: 'ids', shape: [3], dtype: 'int32' },
    { id: 'x', shape: [2] },
  ],
  layers: [
    { id: 'embed', type: 'embedding', inputDim: 5, outputDim: 2, inputs: ['ids'] },
    { id: 'flat', type: 'flatten' },
    { id: 'both', type: 'concatenate', inputs: ['flat', 'x'] },
    { id: 'out', type: 'dense', units: 1 },
  ],
  outputs: ['out', 'flat'],
};

describe('tfjsRunner', () => {
  it('runs named inputs to every output, as predict does', async () => {
    const model = buildModel(spec, { seed: 2 });
    const ids = new Int32Array([0, 4, 2, 1, 1, 3]);
    const x = new Float32Array([0.5, -1, 2, 0]);
    const expected = model.predict({
      ids: tf.tensor(ids, [2, 3], 'int32'),
      x: tf.tensor(x, [2, 2]),
    });
    const runner = tfjsRunner(model);
    expect(runner.engine).toMatch(/^tfjs-/);
    const out = await runner.run({
      ids: { data: ids, shape: [2, 3] },
      x: { data: x, shape: [2, 2] },
    });
    expect(Object.keys(out)).toEqual(['out', 'flat']);
    expect(out.out?.shape).toEqual([2, 1]);
    expect(Array.from(out.out?.data ?? [])).toEqual(Array.from(expected[0]?.dataSync() ?? []));
    expect(Array.from(out.flat?.data ?? [])).toEqual(Array.from(expected[1]?.dataSync() ?? []));
    await expect(runner.run({ idz: { data: ids, shape: [2, 3] } })).rejects.toThrow(
      '"idz" is not an input of the model; expected ids, x',
    );
    await runner.dispose();
    await expect(runner.run({})).rejects.toThrow('disposed');
  });
});
