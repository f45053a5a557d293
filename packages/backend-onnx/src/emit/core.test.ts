import { ACTIVATION_NAMES, resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import { attr, exportLayer, graphOf, initDims, int64Values, ops } from '../test-utils/graph.js';

const node = (g: ReturnType<typeof graphOf>, op: string) => g.node?.find((n) => n.op_type === op);

describe('core emitters: the graph', () => {
  it('model: IR 8 at opset 17, producer, metadata, symbolic batch, outputs named by the spec', () => {
    const m = exportLayer({ id: 'y', type: 'dense', units: 3 }, [5]);
    expect(m.ir_version).toBe(8);
    expect(m.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(m.producer_name).toBe('netspec');
    expect(m.metadata_props).toContainEqual({ key: 'netspec.spec_version', value: '1' });
    const g = graphOf(m);
    expect(g.input?.[0]?.type?.tensor_type?.shape?.dim).toEqual([
      { dim_param: 'batch' },
      { dim_value: 5 },
    ]);
    expect(g.output?.map((o) => o.name)).toEqual(['y']);
  });

  it('free lengths are named seq, seq_2', () => {
    const g = graphOf(
      exportLayer({ id: 'y', type: 'activation', activation: 'relu' }, [null, 2, null]),
    );
    expect(g.input?.[0]?.type?.tensor_type?.shape?.dim).toEqual([
      { dim_param: 'batch' },
      { dim_param: 'seq' },
      { dim_value: 2 },
      { dim_param: 'seq_2' },
    ]);
  });

  it('dense: Gemm on rank 2, MatMul + Add above, kernel [in, out]', () => {
    const g2 = graphOf(exportLayer({ id: 'y', type: 'dense', units: 3, activation: 'relu' }, [5]));
    expect(ops(g2)).toEqual(['Gemm', 'Relu']);
    expect(initDims(g2)).toEqual({ 'y.kernel': [5, 3], 'y.bias': [3] });
    const g3 = graphOf(exportLayer({ id: 'y', type: 'dense', units: 3 }, [4, 5]));
    expect(ops(g3)).toEqual(['MatMul', 'Add']);
    const nb = graphOf(exportLayer({ id: 'y', type: 'dense', units: 3, useBias: false }, [5]));
    expect(ops(nb)).toEqual(['MatMul']);
    expect(initDims(nb)).toEqual({ 'y.kernel': [5, 3] });
  });

  it('activation: one or a few standard ops each; exact gelu via Erf at 17, Gelu at 20', () => {
    for (const a of ACTIVATION_NAMES) {
      const g = graphOf(exportLayer({ id: 'y', type: 'activation', activation: a }, [3]));
      expect(g.node?.length, a).toBeGreaterThan(0);
      expect(g.node?.at(-1)?.output, a).toEqual(['y']);
    }
    expect(
      ops(graphOf(exportLayer({ id: 'y', type: 'activation', activation: 'gelu' }, [3]))),
    ).toContain('Erf');
    const g20 = graphOf(
      exportLayer({ id: 'y', type: 'activation', activation: 'geluTanh' }, [3], { opset: 20 }),
    );
    expect(ops(g20)).toEqual(['Gelu']);
    expect(attr(g20.node?.[0], 'approximate')).toBe('tanh');
    const sm = graphOf(
      exportLayer(
        { id: 'y', type: 'activation', activation: { type: 'softmax', axis: 1 } },
        [3, 4],
      ),
    );
    expect(attr(node(sm, 'Softmax'), 'axis')).toBe(1);
    const lr = graphOf(
      exportLayer(
        { id: 'y', type: 'activation', activation: { type: 'leakyRelu', alpha: 0.25 } },
        [3],
      ),
    );
    expect(attr(node(lr, 'LeakyRelu'), 'alpha')).toBeCloseTo(0.25);
  });

  it('prelu: PRelu with alpha shaped as the input without batch', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'prelu', sharedAxes: [1] }, [4, 3]));
    expect(ops(g)).toEqual(['PRelu']);
    expect(initDims(g)).toEqual({ 'y.alpha': [1, 3] });
  });

  it('dropout: no node (an Identity names the output)', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'dropout', rate: 0.3 }, [3]));
    expect(ops(g)).toEqual(['Identity']);
  });

  it('flatten, reshape, permute, repeatVector', () => {
    expect(attr(graphOf(exportLayer({ id: 'y', type: 'flatten' }, [2, 3])).node?.[0], 'axis')).toBe(
      1,
    );
    const r = graphOf(exportLayer({ id: 'y', type: 'reshape', targetShape: [3, -1] }, [2, 6]));
    expect(ops(r)).toEqual(['Reshape']);
    expect(int64Values(r, r.node?.[0]?.input?.[1])).toEqual([0, 3, -1]);
    const p = graphOf(exportLayer({ id: 'y', type: 'permute', dims: [2, 1] }, [2, 3]));
    expect(attr(p.node?.[0], 'perm')).toEqual([0, 2, 1]);
    const rv = graphOf(exportLayer({ id: 'y', type: 'repeatVector', n: 4 }, [3]));
    expect(ops(rv)).toEqual(['Unsqueeze', 'Tile']);
    expect(int64Values(rv, rv.node?.[1]?.input?.[1])).toEqual([1, 4, 1]);
  });

  it('embedding: Gather on axis 0 of [inputDim, outputDim], int32 ids', () => {
    const m = exportLayer({ id: 'y', type: 'embedding', inputDim: 10, outputDim: 4 }, [6], {
      dtype: 'int32',
    });
    const g = graphOf(m);
    expect(ops(g)).toEqual(['Gather']);
    expect(attr(g.node?.[0], 'axis')).toBe(0);
    expect(initDims(g)).toEqual({ 'y.embeddings': [10, 4] });
    expect(g.input?.[0]?.type?.tensor_type?.elem_type).toBe(6);
  });

  it('slice: Slice with starts, ends, axes, steps; Squeeze when asked', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'slice', axis: -1, start: 1, step: 2 }, [3, 6]));
    const [, starts, ends, axes, steps] = g.node?.[0]?.input ?? [];
    expect([starts, ends, axes, steps].map((n) => int64Values(g, n))).toEqual([
      [1],
      [Number(2n ** 63n - 1n)],
      [2],
      [2],
    ]);
    const sq = graphOf(
      exportLayer({ id: 'y', type: 'slice', axis: 1, end: 1, squeeze: true }, [3, 6]),
    );
    expect(ops(sq)).toEqual(['Slice', 'Squeeze']);
  });
});

describe('export errors', () => {
  it('unsupported opsets and layouts are option errors', () => {
    expect(() => exportLayer({ id: 'y', type: 'dense', units: 1 }, [2], { opset: 13 })).toThrow(
      /option opset: expected one of 17, .*got 13/,
    );
  });
});

describe('reverseEmbedding', () => {
  it('MatMul with the transposed embedding initializer, stored once', () => {
    const spec = {
      specVersion: 1,
      name: 'tied',
      inputs: [{ id: 'ids', shape: [null], dtype: 'int32' }],
      layers: [
        { id: 'e', type: 'embedding', inputDim: 7, outputDim: 3 },
        { id: 'y', type: 'reverseEmbedding', embedding: 'e' },
      ],
    };
    const data = new Float32Array(21).fill(0.5);
    const weights = writeSafetensors({ 'e.embeddings': { dtype: 'F32', shape: [7, 3], data } });
    const g = graphOf(decodeModel(exportOnnx(resolveSpec(spec), weights)));
    expect(ops(g)).toEqual(['Gather', 'Transpose', 'MatMul']);
    expect(initDims(g)).toEqual({ 'e.embeddings': [7, 3] });
    expect(node(g, 'Gather')?.input?.[0]).toBe('e.embeddings');
    expect(node(g, 'Transpose')?.input).toEqual(['e.embeddings']);
    expect(attr(node(g, 'Transpose'), 'perm')).toEqual([1, 0]);
  });
});
