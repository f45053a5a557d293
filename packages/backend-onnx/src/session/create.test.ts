import { writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { OnnxFileError, SessionError } from '../errors.js';
import { exportOnnx } from '../export.js';
import { createSession } from './create.js';

const spec = {
  specVersion: 1,
  name: 'm',
  inputs: [{ id: 'x', shape: [3] }],
  layers: [{ id: 'y', type: 'dense', units: 2 }],
};
const bytes = exportOnnx(
  spec,
  writeSafetensors({
    'y.kernel': { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    'y.bias': { dtype: 'F32', shape: [2], data: Float32Array.of(0.5, -0.5) },
  }),
);

describe('createSession', () => {
  it.each(['ort-node', 'ort-web'] as const)('%s runs the model', async (engine) => {
    const runner = await createSession(bytes, { engine, threads: 1 });
    expect(runner.inputNames).toEqual(['x']);
    expect(runner.outputNames).toEqual(['y']);
    const out = await runner.run({ x: { data: Float32Array.of(1, 0, -1), shape: [1, 3] } });
    expect(out.y?.shape).toEqual([1, 2]);
    expect(Array.from(out.y?.data ?? [])).toEqual([-3.5, -4.5]);
    await expect(runner.run({ z: { data: Float32Array.of(1), shape: [1, 1] } })).rejects.toThrow(
      /missing \[x\], unexpected \[z\]/,
    );
    await expect(runner.run({ x: { data: Float32Array.of(1), shape: [1, 3] } })).rejects.toThrow(
      /1 values for shape \[1, 3\]/,
    );
    await runner.dispose();
    await expect(runner.run({})).rejects.toThrow(/disposed/);
  });

  it('empty, truncated and foreign bytes are OnnxFileErrors', async () => {
    await expect(createSession(new Uint8Array())).rejects.toThrow(/the file is empty/);
    for (const cut of [1, 10, Math.floor(bytes.length / 2), bytes.length - 3]) {
      const p = createSession(bytes.subarray(0, cut), { source: 'm.onnx' });
      await expect(p, `cut at ${cut}`).rejects.toThrow(OnnxFileError);
      await expect(createSession(bytes.subarray(0, cut), { source: 'm.onnx' })).rejects.toThrow(
        /^m.onnx: /,
      );
    }
    const safetensors = writeSafetensors({
      w: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) },
    });
    const json = new TextEncoder().encode(JSON.stringify(spec));
    for (const other of [safetensors, json, new Uint8Array(64).fill(7)]) {
      await expect(createSession(other)).rejects.toThrow(OnnxFileError);
    }
  });

  it('bad options are SessionErrors, never a fallback', async () => {
    await expect(createSession(bytes, { engine: 'ort-gpu' as 'ort-node' })).rejects.toThrow(
      /engine: expected one of ort-node, ort-web, got ort-gpu/,
    );
    await expect(createSession(bytes, { threads: 0 })).rejects.toThrow(SessionError);
    await expect(createSession(bytes, { engine: 'ort-web', threads: 4 })).rejects.toThrow(
      /one thread/,
    );
  });
});
