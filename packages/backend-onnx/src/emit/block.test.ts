import { describe, expect, it } from 'vitest';
import { exportLayer, graphOf, initDims, ops } from '../test-utils/graph.js';

describe('block emitters: the graph', () => {
  it("timeDistributed: Reshape to (B·T, ...), the inner kind with the layer's weights, Reshape back", () => {
    const g = graphOf(
      exportLayer({ id: 'y', type: 'timeDistributed', layer: { type: 'dense', units: 3 } }, [4, 5]),
    );
    const o = ops(g);
    expect(o).toContain('Gemm');
    expect(o.indexOf('Reshape')).toBeLessThan(o.indexOf('Gemm'));
    expect(o.at(-1)).toBe('Reshape');
    expect(g.node?.at(-1)?.output).toEqual(['y']);
    expect(initDims(g)).toMatchObject({ 'y.kernel': [5, 3], 'y.bias': [3] });
    // The inner output is an intermediate, not the layer's name.
    const gemm = g.node?.find((n) => n.op_type === 'Gemm');
    expect(gemm?.output?.[0]).not.toBe('y');
  });

  it('timeDistributed of a multi-output kind reshapes every output back', () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'timeDistributed', layer: { type: 'lstm', units: 2, returnState: true } },
        [3, 4, 5],
      ),
    );
    expect(ops(g)).toContain('LSTM');
    expect(g.output?.map((x) => x.name)).toEqual(['y']);
    const reshapes = g.node?.filter((n) => n.op_type === 'Reshape').map((n) => n.output?.[0]);
    expect(reshapes).toEqual(expect.arrayContaining(['y', 'y:1', 'y:2']));
  });
});
