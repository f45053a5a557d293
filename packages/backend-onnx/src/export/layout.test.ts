import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, Rng, saveWeights } from '@netspec/backend-tfjs';
import { type LayerInput, resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { checkModels } from '../checker.js';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import type { GraphProto, ValueInfoProto } from '../proto/types.js';
import { createSession } from '../session/create.js';
import { attr, graphOf, ops } from '../test-utils/graph.js';
import { channelsFirstDims, channelsLastPerm, movesToChannelsFirst } from './layout.js';

const specOf = (layer: LayerInput, shape: (number | null)[], dtype = 'float32') => ({
  specVersion: 1,
  name: 'layout',
  inputs: [{ id: 'x', shape, dtype }],
  layers: [layer],
});

/** Exports a one-layer spec (weights 0.5) in `layout` and decodes its graph. */
function exportIn(
  layout: 'nhwc' | 'nchw',
  layer: LayerInput,
  shape: (number | null)[],
  dtype = 'float32',
): GraphProto {
  const model = resolveSpec(specOf(layer, shape, dtype));
  const tensors = Object.fromEntries(
    model.nodes
      .flatMap((n) => n.params)
      .map((p) => [
        p.path,
        {
          dtype: 'F32' as const,
          shape: p.shape,
          data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.5),
        },
      ]),
  );
  return graphOf(decodeModel(exportOnnx(model, writeSafetensors(tensors), { layout })));
}

const dimsOf = (v: ValueInfoProto | undefined) =>
  (v?.type?.tensor_type?.shape?.dim ?? []).map((d) => d.dim_param ?? d.dim_value ?? null);

const conv: LayerInput = { id: 'y', type: 'conv2d', filters: 4, kernelSize: 3, padding: 'same' };

describe('layout helpers', () => {
  it('perms and dims', () => {
    expect(channelsLastPerm(3)).toEqual([0, 2, 1]);
    expect(channelsLastPerm(4)).toEqual([0, 2, 3, 1]);
    expect(channelsLastPerm(5)).toEqual([0, 2, 3, 4, 1]);
    expect(channelsFirstDims(['batch', 8, 6, 3])).toEqual(['batch', 3, 8, 6]);
    expect(channelsFirstDims(['batch', 'seq', 4])).toEqual(['batch', 4, 'seq']);
  });

  it('only float inputs of rank >= 3 move', () => {
    expect(movesToChannelsFirst({ dtype: 'float32', dims: ['batch', 8, 8, 3] })).toBe(true);
    expect(movesToChannelsFirst({ dtype: 'float32', dims: ['batch', 'seq', 4] })).toBe(true);
    expect(movesToChannelsFirst({ dtype: 'float32', dims: ['batch', 4] })).toBe(false);
    expect(movesToChannelsFirst({ dtype: 'int32', dims: ['batch', 'seq', 4] })).toBe(false);
  });
});

describe("layout: 'nchw' graph", () => {
  it('an image input is declared (B, C, H, W) and transposed to channels-last first', () => {
    const g = exportIn('nchw', conv, [8, 6, 3]);
    expect(g.input?.map((v) => v.name)).toEqual(['x']);
    expect(dimsOf(g.input?.[0])).toEqual(['batch', 3, 8, 6]);
    const first = g.node?.[0];
    expect(first?.op_type).toBe('Transpose');
    expect(first?.input).toEqual(['x']);
    expect(attr(first, 'perm')).toEqual([0, 2, 3, 1]);
    // the rest is the nhwc graph, reading the transposed value
    expect(ops(g)).toEqual(['Transpose', ...ops(exportIn('nhwc', conv, [8, 6, 3]))]);
    expect(g.node?.[1]?.input).toEqual([first?.output?.[0]]);
    // outputs keep the spec's (channels-last) layout
    expect(dimsOf(g.output?.[0])).toEqual(['batch', 8, 6, 4]);
  });

  it('a float sequence (B, T, C) is declared (B, C, T)', () => {
    const g = exportIn('nchw', { id: 'y', type: 'dense', units: 2 }, [null, 4]);
    expect(dimsOf(g.input?.[0])).toEqual(['batch', 4, 'seq']);
    expect(g.node?.[0]?.op_type).toBe('Transpose');
    expect(attr(g.node?.[0], 'perm')).toEqual([0, 2, 1]);
    expect(dimsOf(g.output?.[0])).toEqual(['batch', null, 2]);
  });

  it('int32 ids and rank-2 inputs are unchanged', () => {
    const emb: LayerInput = { id: 'y', type: 'embedding', inputDim: 10, outputDim: 3 };
    const ids = exportIn('nchw', emb, [5, 2], 'int32');
    expect(ids).toEqual(exportIn('nhwc', emb, [5, 2], 'int32'));
    expect(ops(ids)).not.toContain('Transpose');
    const dense: LayerInput = { id: 'y', type: 'dense', units: 2 };
    expect(exportIn('nchw', dense, [3])).toEqual(exportIn('nhwc', dense, [3]));
  });
});

describe("layout: 'nchw' on onnxruntime-node", () => {
  /** (B, H, W, C) -> (B, C, H, W). */
  function toChannelsFirst(data: Float32Array, [b, h, w, c]: number[]): Float32Array {
    const out = new Float32Array(data.length);
    for (let n = 0; n < (b as number); n++)
      for (let y = 0; y < (h as number); y++)
        for (let x = 0; x < (w as number); x++)
          for (let k = 0; k < (c as number); k++)
            out[((n * (c as number) + k) * (h as number) + y) * (w as number) + x] = data[
              ((n * (h as number) + y) * (w as number) + x) * (c as number) + k
            ] as number;
    return out;
  }

  it('a conv net gives the same outputs fed the transposed input', async () => {
    const spec = {
      specVersion: 1,
      name: 'convnet',
      inputs: [{ id: 'x', shape: [9, 7, 3] }],
      layers: [
        {
          id: 'c1',
          type: 'conv2d',
          filters: 5,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
        },
        { id: 'p', type: 'maxPool2d', poolSize: 2 },
        { id: 'c2', type: 'conv2d', filters: 4, kernelSize: 2, strides: 2 },
      ],
    };
    const model = buildModel(spec, { seed: 3 });
    const weights = saveWeights(model);
    const shape = [2, 9, 7, 3];
    const rng = new Rng(11);
    const nhwc = Float32Array.from({ length: 2 * 9 * 7 * 3 }, () => rng.next() * 4 - 2);
    const nchw = toChannelsFirst(nhwc, shape);

    // The official checker accepts the NCHW export too.
    const dir = mkdtempSync(join(tmpdir(), 'netspec-nchw-'));
    const path = join(dir, 'nchw.onnx');
    writeFileSync(path, exportOnnx(model.resolved, weights, { layout: 'nchw' }));
    expect(checkModels([path])).toEqual({ [path]: null });
    rmSync(dir, { recursive: true, force: true });

    const run = async (layout: 'nhwc' | 'nchw', data: Float32Array, dims: number[]) => {
      const runner = await createSession(exportOnnx(model.resolved, weights, { layout }));
      const out = await runner.run({ x: { data, shape: dims } });
      await runner.dispose();
      return out.c2;
    };
    const a = await run('nhwc', nhwc, shape);
    const b = await run('nchw', nchw, [2, 3, 9, 7]);
    expect(b?.shape).toEqual(a?.shape);
    expect(a?.shape).toEqual([2, 2, 1, 4]);
    const worst = Array.from(a?.data ?? []).reduce(
      (m, v, i) => Math.max(m, Math.abs(v - (b?.data[i] as number))),
      0,
    );
    expect(worst).toBeLessThanOrEqual(1e-5);
  });
});
