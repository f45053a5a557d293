import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, Rng, saveWeights } from '@netspec/backend-tfjs';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportError } from '../errors.js';
import { exportOnnx, exportOnnxWithExternalData } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import type { TensorProto } from '../proto/types.js';
import { readOnnx } from '../session/check.js';
import { createSession } from '../session/create.js';
import {
  checkEmbeddedSize,
  checkLocation,
  DATA_LOCATION_EXTERNAL,
  EXTERNAL_DATA_ALIGNMENT,
  MAX_EMBEDDED_BYTES,
} from './external-data.js';

const spec = {
  specVersion: 1,
  name: 'ext',
  inputs: [{ id: 'x', shape: [6, 5, 2] }],
  layers: [
    { id: 'c', type: 'conv2d', filters: 3, kernelSize: 2, activation: 'relu' },
    { id: 'f', type: 'flatten' },
    { id: 'y', type: 'dense', units: 4 },
  ],
};
const model = buildModel(spec, { seed: 5 });
const weights = saveWeights(model);
const location = 'model.onnx.data';

const entries = (t: TensorProto) =>
  Object.fromEntries((t.external_data ?? []).map((e) => [e.key, e.value]));

describe('external data: options', () => {
  it('location must be a bare file name', () => {
    expect(checkLocation('model.onnx.data')).toBe('model.onnx.data');
    for (const bad of [
      '',
      '/tmp/w.data',
      '../w.data',
      'a/b.data',
      'a\\b.data',
      '..',
      'C:w.data',
      'a\nb',
    ]) {
      expect(() => checkLocation(bad), bad).toThrow(ExportError);
      expect(() =>
        exportOnnxWithExternalData(model.resolved, weights, { externalData: { location: bad } }),
      ).toThrow(/externalData.location: expected a file name/);
    }
    expect(() => checkLocation(undefined)).toThrow(/non-empty string/);
  });

  it('exportOnnx does not take externalData', () => {
    const options = { externalData: { location } } as object;
    expect(() => exportOnnx(model.resolved, weights, options)).toThrow(
      /exportOnnxWithExternalData/,
    );
  });

  it('weights over the embeddable size ask for external data', () => {
    const t = (n: number): TensorProto => ({ name: 't', raw_data: new Uint8Array(n) });
    expect(() => checkEmbeddedSize([t(60), t(40)], 100)).not.toThrow();
    expect(() => checkEmbeddedSize([t(60), t(41)], 100)).toThrow(ExportError);
    expect(() => checkEmbeddedSize([t(60), t(41)], 100)).toThrow(
      /101 bytes, over the 100 bytes[\s\S]*externalData: \{ location/,
    );
    expect(MAX_EMBEDDED_BYTES).toBeLessThan(2 ** 31);
    expect(MAX_EMBEDDED_BYTES).toBeGreaterThan(2 ** 31 - 2 ** 27);
  });
});

describe('external data: the files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-ext-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const embedded = exportOnnx(model.resolved, weights);
  const out = exportOnnxWithExternalData(model.resolved, weights, { externalData: { location } });

  it('every initializer is in the data file at an aligned offset, bytes as embedded', () => {
    const inits = decodeModel(out.model).graph?.initializer ?? [];
    const reference = new Map(
      (decodeModel(embedded).graph?.initializer ?? []).map((t) => [t.name, t]),
    );
    expect(inits.map((t) => t.name)).toEqual([...reference.keys()]);
    const spans: [number, number][] = [];
    for (const t of inits) {
      const raw = reference.get(t.name)?.raw_data ?? new Uint8Array();
      expect(raw.length).toBeGreaterThan(0);
      expect(t.raw_data?.length ?? 0).toBe(0);
      expect(t.data_location).toBe(DATA_LOCATION_EXTERNAL);
      const e = entries(t);
      expect(Object.keys(e).sort()).toEqual(['length', 'location', 'offset']);
      expect(e.location).toBe(location);
      const offset = Number(e.offset);
      const length = Number(e.length);
      expect(offset % EXTERNAL_DATA_ALIGNMENT).toBe(0);
      expect(length).toBe(raw.length);
      expect(offset + length).toBeLessThanOrEqual(out.data.length);
      expect(out.data.subarray(offset, offset + length)).toEqual(new Uint8Array(raw));
      spans.push([offset, offset + length]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    spans.forEach(([start], i) => {
      if (i > 0) expect(start).toBeGreaterThanOrEqual((spans[i - 1] as [number, number])[1]);
    });
    expect(out.data.length).toBe(spans.at(-1)?.[1]);
    expect(out.model.length).toBeLessThan(embedded.length);
  });

  it('readOnnx accepts the model; no local paths in it', () => {
    expect(() => readOnnx(out.model)).not.toThrow();
    expect(Buffer.from(out.model).includes(dir)).toBe(false);
    const again = exportOnnxWithExternalData(model.resolved, weights, {
      externalData: { location },
    });
    expect(again.model).toEqual(out.model);
    expect(again.data).toEqual(out.data);
  });

  it('onnxruntime-node loads it by path and gives bit-equal outputs', async () => {
    const path = join(dir, 'model.onnx');
    writeFileSync(path, out.model);
    writeFileSync(join(dir, location), out.data);
    const rng = new Rng(9);
    const data = Float32Array.from({ length: 3 * 6 * 5 * 2 }, () => rng.next() * 4 - 2);
    const shape = [3, 6, 5, 2];

    const session = await ort.InferenceSession.create(path);
    const result = await session.run({ x: new ort.Tensor('float32', data, shape) });
    const fromFile = result.y as ort.Tensor;
    await session.release();

    const runner = await createSession(embedded);
    const reference = (await runner.run({ x: { data, shape } })).y;
    await runner.dispose();

    expect(fromFile.dims).toEqual(reference?.shape);
    expect(Array.from(fromFile.data as Float32Array)).toEqual(Array.from(reference?.data ?? []));
  });

  it('with opset and layout options', () => {
    const nchw = exportOnnxWithExternalData(model.resolved, weights, {
      externalData: { location },
      layout: 'nchw',
      opset: 18,
    });
    const m = decodeModel(nchw.model);
    expect(m.opset_import?.[0]?.version).toBe(18);
    expect(m.graph?.node?.[0]?.op_type).toBe('Transpose');
    expect(nchw.data).toEqual(out.data);
  });
});
