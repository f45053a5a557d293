import { describe, expect, it } from 'vitest';
import { attr, exportLayer, graphOf, initDims, ops } from '../test-utils/graph.js';

const node = (g: ReturnType<typeof graphOf>, op: string) => g.node?.find((n) => n.op_type === op);

describe('normalization emitters: the graph', () => {
  it('batchNorm: moving statistics folded into per-channel Mul + Add constants', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'batchNorm' }, [3, 2, 4]));
    expect(ops(g)).toEqual(['Mul', 'Add']);
    expect(initDims(g)).toEqual({ 'y/scale': [4], 'y/shift': [4] });
    expect(g.node?.at(-1)?.output).toEqual(['y']);
    // gamma 0.5, var 0.5, eps 1e-3, mean 0.5, beta 0.5: scale = 0.5/sqrt(0.501)
    const scale = new Float32Array(new Uint8Array(g.initializer?.[0]?.raw_data ?? []).buffer);
    expect(scale[0]).toBeCloseTo(0.5 / Math.sqrt(0.501), 6);
    const axis1 = graphOf(exportLayer({ id: 'y', type: 'batchNorm', axis: 1 }, [3, 2, 4]));
    expect(initDims(axis1)).toEqual({ 'y/scale': [3, 1, 1], 'y/shift': [3, 1, 1] });
  });

  it('layerNorm: LayerNormalization over trailing axes, a decomposition otherwise', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'layerNorm', epsilon: 1e-5 }, [4, 6]));
    expect(ops(g)).toEqual(['LayerNormalization']);
    expect(attr(node(g, 'LayerNormalization'), 'axis')).toBe(2);
    expect(attr(node(g, 'LayerNormalization'), 'epsilon')).toBeCloseTo(1e-5);
    expect(initDims(g)).toEqual({ 'y.gamma': [6], 'y.beta': [6] });
    const two = graphOf(exportLayer({ id: 'y', type: 'layerNorm', axis: [2, 3] }, [3, 2, 4]));
    expect(attr(node(two, 'LayerNormalization'), 'axis')).toBe(2);
    expect(initDims(two)).toEqual({ 'y.gamma': [2, 4], 'y.beta': [2, 4] });
    const noScale = graphOf(exportLayer({ id: 'y', type: 'layerNorm', scale: false }, [4, 6]));
    expect(node(noScale, 'LayerNormalization')?.input).toHaveLength(3);
    expect(initDims(noScale)['y/gamma']).toEqual([6]);
    const mid = graphOf(exportLayer({ id: 'y', type: 'layerNorm', axis: 1 }, [4, 6]));
    expect(ops(mid)).not.toContain('LayerNormalization');
    expect(attr(node(mid, 'ReduceMean'), 'axes')).toEqual([1]);
    expect(initDims(mid)).toMatchObject({ 'y/gamma': [4, 1], 'y/beta': [4, 1] });
  });

  it('ReduceMean takes its axes as an input from opset 18', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'rmsNorm', axis: 1 }, [4, 6], { opset: 18 }));
    const rm = node(g, 'ReduceMean');
    expect(rm?.input).toHaveLength(2);
    expect(attr(rm, 'axes')).toBeUndefined();
  });

  it('groupNorm: Reshape to (B, ..., G, C/G), moments over all but batch and group, Reshape back', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'groupNorm', groups: 2 }, [3, 4]));
    expect(ops(g).filter((o) => o === 'Reshape')).toHaveLength(2);
    expect(attr(node(g, 'ReduceMean'), 'axes')).toEqual([1, 3]);
    expect(initDims(g)).toMatchObject({ 'y/gamma': [2, 2], 'y/beta': [2, 2] });
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('rmsNorm: x · 1/sqrt(mean(x²) + eps) · scale', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'rmsNorm' }, [4, 6]));
    expect(ops(g)).toEqual(['Mul', 'ReduceMean', 'Add', 'Sqrt', 'Reciprocal', 'Mul', 'Mul']);
    expect(initDims(g)).toMatchObject({ 'y/scale': [6] });
  });
});
