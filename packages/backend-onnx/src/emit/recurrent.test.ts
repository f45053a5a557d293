import { describe, expect, it } from 'vitest';
import { ExportError } from '../errors.js';
import { attr, exportLayer, graphOf, initDims, ops } from '../test-utils/graph.js';

const node = (g: ReturnType<typeof graphOf>, op: string) => g.node?.find((n) => n.op_type === op);
const floatsOf = (g: ReturnType<typeof graphOf>, name: string) =>
  Array.from(
    new Float32Array(
      new Uint8Array((g.initializer ?? []).find((t) => t.name === name)?.raw_data ?? []).buffer,
    ),
  );

describe('recurrent emitters: the graph', () => {
  it('lstm: one LSTM op on the seq-first input, W/R/B in ONNX layout, last h from Y_h', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'lstm', units: 4 }, [5, 3]));
    expect(ops(g)).toEqual(['Transpose', 'LSTM', 'Transpose', 'Reshape']);
    const lstm = node(g, 'LSTM');
    expect(attr(lstm, 'hidden_size')).toBe(4);
    expect(attr(lstm, 'direction')).toBe('forward');
    expect(attr(lstm, 'activations')).toBeUndefined(); // ONNX's defaults are Keras's
    expect(initDims(g)).toMatchObject({ 'y/W': [1, 16, 3], 'y/R': [1, 16, 4], 'y/B': [1, 32] });
    // Keras's bias (0.5 everywhere) as Wb; Rb zero
    const b = floatsOf(g, 'y/B');
    expect(b.slice(0, 16).every((v) => v === 0.5)).toBe(true);
    expect(b.slice(16).every((v) => v === 0)).toBe(true);
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('lstm: returnSequences from Y, goBackwards reverses the input first, returnState gathers h and c', () => {
    const g = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'lstm',
          units: 2,
          returnSequences: true,
          returnState: true,
          goBackwards: true,
        },
        [null, 3],
      ),
    );
    expect(ops(g)[0]).toBe('Slice');
    const lstm = node(g, 'LSTM');
    expect(lstm?.output).toHaveLength(3);
    const outs = g.node?.map((n) => n.output?.[0]);
    expect(outs).toEqual(expect.arrayContaining(['y', 'y:1', 'y:2']));
  });

  it('lstm: non-default activations by name, hardSigmoid with Keras 3 alpha and beta', () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'lstm', units: 2, recurrentActivation: 'hardSigmoid', activation: 'relu' },
        [5, 3],
      ),
    );
    const lstm = node(g, 'LSTM');
    const names = lstm?.attribute
      ?.find((a) => a.name === 'activations')
      ?.strings?.map((s) => new TextDecoder().decode(s));
    expect(names).toEqual(['HardSigmoid', 'Relu', 'Relu']);
    expect(attr(lstm, 'activation_alpha')).toEqual([expect.closeTo(1 / 6, 6)]);
    expect(attr(lstm, 'activation_beta')).toEqual([0.5]);
  });

  it('an activation the RNN ops cannot express is an ExportError', () => {
    expect(() =>
      exportLayer({ id: 'y', type: 'simpleRnn', units: 2, activation: 'gelu' }, [5, 3]),
    ).toThrow(ExportError);
  });

  it('gru: linear_before_reset follows resetAfter; the two bias rows become Wb and Rb', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'gru', units: 2 }, [5, 3]));
    const gru = node(g, 'GRU');
    expect(attr(gru, 'linear_before_reset')).toBe(1);
    expect(initDims(g)).toMatchObject({ 'y/W': [1, 6, 3], 'y/R': [1, 6, 2], 'y/B': [1, 12] });
    expect(floatsOf(g, 'y/B').every((v) => v === 0.5)).toBe(true);
    const before = graphOf(
      exportLayer({ id: 'y', type: 'gru', units: 2, resetAfter: false }, [5, 3]),
    );
    expect(attr(node(before, 'GRU'), 'linear_before_reset')).toBe(0);
    const noBias = graphOf(exportLayer({ id: 'y', type: 'gru', units: 2, useBias: false }, [5, 3]));
    expect(node(noBias, 'GRU')?.input).toHaveLength(3);
  });

  it('simpleRnn: RNN with W [1, U, F]', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'simpleRnn', units: 2 }, [5, 3]));
    expect(ops(g)).toContain('RNN');
    expect(initDims(g)).toMatchObject({ 'y/W': [1, 2, 3], 'y/R': [1, 2, 2], 'y/B': [1, 4] });
  });

  it('bidirectional: one op with direction bidirectional; merge modes combine the halves', () => {
    const g = graphOf(
      exportLayer({ id: 'y', type: 'bidirectional', layer: { type: 'lstm', units: 2 } }, [5, 3]),
    );
    expect(attr(node(g, 'LSTM'), 'direction')).toBe('bidirectional');
    expect(initDims(g)).toMatchObject({ 'y/W': [2, 8, 3], 'y/R': [2, 8, 2], 'y/B': [2, 16] });
    expect(ops(g).filter((o) => o === 'LSTM')).toHaveLength(1);
    const sum = graphOf(
      exportLayer(
        { id: 'y', type: 'bidirectional', mergeMode: 'sum', layer: { type: 'gru', units: 2 } },
        [5, 3],
      ),
    );
    expect(ops(sum)).toEqual(expect.arrayContaining(['GRU', 'Gather', 'Add']));
    const unmerged = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'bidirectional',
          mergeMode: null,
          layer: { type: 'simpleRnn', units: 2, returnState: true },
        },
        [5, 3],
      ),
    );
    const outs = unmerged.node?.map((n) => n.output?.[0]);
    expect(outs).toEqual(expect.arrayContaining(['y', 'y:1', 'y:2', 'y:3']));
  });
});
