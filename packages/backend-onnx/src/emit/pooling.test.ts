import { describe, expect, it } from 'vitest';
import { attr, exportLayer, graphOf, int64Values, ops } from '../test-utils/graph.js';

describe('pooling emitters: the graph', () => {
  it('maxPool2d: MaxPool between NHWC -> NCHW -> NHWC Transposes; strides default to the size', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'maxPool2d', poolSize: [3, 2] }, [6, 6, 2]));
    expect(ops(g)).toEqual(['Transpose', 'MaxPool', 'Transpose']);
    expect(attr(g.node?.[0], 'perm')).toEqual([0, 3, 1, 2]);
    expect(attr(g.node?.[2], 'perm')).toEqual([0, 2, 3, 1]);
    expect(attr(g.node?.[1], 'kernel_shape')).toEqual([3, 2]);
    expect(attr(g.node?.[1], 'strides')).toEqual([3, 2]);
    expect(attr(g.node?.[1], 'pads')).toBeUndefined();
    expect(g.node?.[2]?.output).toEqual(['y']);
  });

  it("same: TF's pads (odd one after) when lengths are known, SAME_UPPER when free", () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'avgPool2d', poolSize: 3, strides: 2, padding: 'same' },
        [6, 7, 2],
      ),
    );
    const pool = g.node?.[1];
    expect(pool?.op_type).toBe('AveragePool');
    // rows: out 3, total 1 -> [0, 1]; columns: out 4, total 2 -> [1, 1]
    expect(attr(pool, 'pads')).toEqual([0, 1, 1, 1]);
    // Keras divides by the real inputs of each window
    expect(pool?.attribute?.map((a) => a.name)).toContain('count_include_pad');
    expect(attr(pool, 'count_include_pad') ?? 0).toBe(0);
    const free = graphOf(
      exportLayer({ id: 'y', type: 'maxPool2d', padding: 'same' }, [null, null, 2]),
    );
    expect(attr(free.node?.[1], 'auto_pad')).toBe('SAME_UPPER');
  });

  it('1-D pools transpose (B, T, C) <-> (B, C, T)', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'avgPool1d', poolSize: 3, strides: 1 }, [8, 2]));
    expect(ops(g)).toEqual(['Transpose', 'AveragePool', 'Transpose']);
    expect(attr(g.node?.[0], 'perm')).toEqual([0, 2, 1]);
    expect(attr(g.node?.[1], 'kernel_shape')).toEqual([3]);
    expect(attr(g.node?.[1], 'strides')).toEqual([1]);
  });

  it('global pools: ReduceMax / ReduceMean over the spatial axes of the channels-first input, axes as an input from 18', () => {
    // channels-first like the other pools, so onnxruntime cancels the Transpose against a conv's
    // (see optimized-graph.test.ts); on a channels-last input it pushes it through the Reduce.
    const g = graphOf(exportLayer({ id: 'y', type: 'globalAvgPool2d' }, [4, 4, 3]));
    expect(ops(g)).toEqual(['Transpose', 'ReduceMean']);
    expect(attr(g.node?.[0], 'perm')).toEqual([0, 3, 1, 2]);
    expect(attr(g.node?.[1], 'axes')).toEqual([2, 3]);
    expect(attr(g.node?.[1], 'keepdims')).toBe(0);
    const k = graphOf(exportLayer({ id: 'y', type: 'globalMaxPool1d', keepDims: true }, [4, 3]));
    expect(ops(k)).toEqual(['Transpose', 'ReduceMax', 'Transpose']);
    expect(attr(k.node?.[1], 'axes')).toEqual([2]);
    expect(attr(k.node?.[1], 'keepdims')).toBe(1);
    expect(attr(k.node?.[2], 'perm')).toEqual([0, 2, 1]);
    const g18 = graphOf(
      exportLayer({ id: 'y', type: 'globalMaxPool2d' }, [4, 4, 3], { opset: 18 }),
    );
    expect(attr(g18.node?.[1], 'axes')).toBeUndefined();
    expect(int64Values(g18, g18.node?.[1]?.input?.[1])).toEqual([2, 3]);
  });
});
