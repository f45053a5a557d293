import type { LayerInput } from '@netspec/spec';
import { resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import { attr, graphOf, int64Values, ops } from '../test-utils/graph.js';

/** Exports a spec of inputs `x` (and `w`) and the merge layer `y`, which has no weights. */
function exportMerge(layer: LayerInput, shapes: (number | null)[][]) {
  const ids = ['x', 'w', 'v'];
  const spec = {
    specVersion: 1,
    name: 'g',
    inputs: shapes.map((shape, i) => ({ id: ids[i] as string, shape, dtype: 'float32' as const })),
    layers: [layer],
  };
  return graphOf(decodeModel(exportOnnx(resolveSpec(spec), writeSafetensors({}))));
}

describe('merge emitters: the graph', () => {
  it('maximum, minimum: one variadic Max, Min', () => {
    for (const [type, op] of [
      ['maximum', 'Max'],
      ['minimum', 'Min'],
    ] as const) {
      const g = exportMerge({ id: 'y', type, inputs: ['x', 'w', 'v'] }, [[3], [3], [3]]);
      expect(ops(g), type).toEqual([op]);
      expect(g.node?.[0]?.input, type).toEqual(['x', 'w', 'v']);
      expect(g.node?.[0]?.output, type).toEqual(['y']);
    }
  });

  it('add, subtract and multiply fold left with Add, Sub and Mul (no Sum: WebGPU lacks it); average is Adds then Div by the count', () => {
    const sum = exportMerge({ id: 'y', type: 'add', inputs: ['x', 'w', 'v'] }, [[3], [3], [3]]);
    expect(ops(sum)).toEqual(['Add', 'Add']);
    expect(sum.node?.[0]?.input).toEqual(['x', 'w']);
    expect(sum.node?.[1]?.output).toEqual(['y']);
    expect(ops(exportMerge({ id: 'y', type: 'subtract', inputs: ['x', 'w'] }, [[3], [3]]))).toEqual(
      ['Sub'],
    );
    const m = exportMerge({ id: 'y', type: 'multiply', inputs: ['x', 'w', 'v'] }, [[3], [3], [3]]);
    expect(ops(m)).toEqual(['Mul', 'Mul']);
    expect(m.node?.[1]?.output).toEqual(['y']);
    const a = exportMerge({ id: 'y', type: 'average', inputs: ['x', 'w', 'v'] }, [[3], [3], [3]]);
    expect(ops(a)).toEqual(['Add', 'Add', 'Div']);
    const count = a.initializer?.find((t) => t.name === a.node?.[2]?.input?.[1]);
    expect(new Float32Array(new Uint8Array(count?.raw_data ?? []).buffer)[0]).toBe(3);
  });

  it('lower-rank inputs get size-1 axes after the batch (Keras), by Unsqueeze', () => {
    const g = exportMerge({ id: 'y', type: 'add', inputs: ['x', 'w'] }, [[4, 2, 3], [3]]);
    expect(ops(g)).toEqual(['Unsqueeze', 'Add']);
    expect(int64Values(g, g.node?.[0]?.input?.[1])).toEqual([1, 2]);
  });

  it('concatenate: Concat on the Keras axis, negatives resolved', () => {
    const g = exportMerge({ id: 'y', type: 'concatenate', inputs: ['x', 'w'] }, [
      [4, 3],
      [4, 2],
    ]);
    expect(ops(g)).toEqual(['Concat']);
    expect(attr(g.node?.[0], 'axis')).toBe(2);
  });

  it('dot: one Einsum; (B, 1) by Unsqueeze for a scalar per sample; normalize by L2', () => {
    const g = exportMerge({ id: 'y', type: 'dot', axes: [2, 1], inputs: ['x', 'w'] }, [
      [4, 3],
      [3, 5],
    ]);
    expect(ops(g)).toEqual(['Einsum']);
    expect(attr(g.node?.[0], 'equation')).toBe('abz,azc->abc');
    const s = exportMerge({ id: 'y', type: 'dot', axes: -1, inputs: ['x', 'w'] }, [[3], [3]]);
    expect(ops(s)).toEqual(['Einsum', 'Unsqueeze']);
    expect(attr(s.node?.[0], 'equation')).toBe('az,az->a');
    const n = exportMerge({ id: 'y', type: 'dot', axes: 1, normalize: true, inputs: ['x', 'w'] }, [
      [3],
      [3],
    ]);
    expect(ops(n).filter((o) => o === 'ReduceSum')).toHaveLength(2);
    expect(ops(n).at(-2)).toBe('Einsum');
  });
});
