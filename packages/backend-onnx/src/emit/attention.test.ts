import { type LayerInput, resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import { attr, exportLayer, graphOf, initDims, ops } from '../test-utils/graph.js';

type Graph = ReturnType<typeof graphOf>;
const node = (g: Graph, op: string) => g.node?.find((n) => n.op_type === op);
const count = (g: Graph, op: string) => ops(g).filter((o) => o === op).length;

/** Exports one layer over several spec inputs (weights 0.5) and decodes its graph. */
function exportMany(
  layer: LayerInput,
  inputs: { id: string; shape: (number | null)[]; dtype?: 'float32' | 'int32' }[],
): Graph {
  const spec = {
    specVersion: 1,
    name: 'g',
    inputs: inputs.map((i) => ({ dtype: 'float32', ...i })),
    layers: [layer],
  };
  const model = resolveSpec(spec);
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
  return graphOf(decodeModel(exportOnnx(model, writeSafetensors(tensors))));
}

describe('attention emitters: the graph', () => {
  it('positionEmbedding: first T rows by Shape + Slice (free T), Expand to the input', () => {
    const g = graphOf(
      exportLayer({ id: 'y', type: 'positionEmbedding', sequenceLength: 6 }, [null, 4]),
    );
    expect(ops(g)).toEqual(['Shape', 'Slice', 'Shape', 'Expand']);
    expect(attr(g.node?.[0], 'start')).toBe(1);
    expect(attr(g.node?.[0], 'end')).toBe(2);
    expect(initDims(g)['y.embeddings']).toEqual([6, 4]);
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('tokenAndPositionEmbedding: Gather of int32 ids + sliced positions', () => {
    const g = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'tokenAndPositionEmbedding',
          vocabularySize: 10,
          sequenceLength: 8,
          embeddingDim: 3,
        },
        [null],
        { dtype: 'int32' },
      ),
    );
    expect(ops(g)).toEqual(['Gather', 'Shape', 'Slice', 'Add']);
    expect(initDims(g)).toMatchObject({
      'y.token_embedding.embeddings': [10, 3],
      'y.position_embedding.embeddings': [8, 3],
    });
  });

  it('sinusoidalPositionEncoding: Range over the run-time length, Sin and Cos, no weights', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'sinusoidalPositionEncoding' }, [null, 6]));
    for (const op of ['Range', 'Sin', 'Cos', 'Expand']) expect(ops(g)).toContain(op);
    expect(Object.keys(initDims(g)).some((n) => n.startsWith('y.'))).toBe(false);
    expect(initDims(g)['y/timescales']).toEqual([1, 6]);
  });

  it('multiHeadAttention: einsum kernels as matrices, heads by Reshape + Transpose, Softmax', () => {
    const g = graphOf(
      exportLayer({ id: 'y', type: 'multiHeadAttention', numHeads: 2, keyDim: 3 }, [null, 8]),
    );
    expect(initDims(g)).toMatchObject({
      'y.query.kernel': [8, 6],
      'y.query.bias': [6],
      'y.value.kernel': [8, 6],
      'y.output.kernel': [6, 8],
      'y.output.bias': [8],
    });
    expect(count(g, 'Softmax')).toBe(1);
    expect(attr(node(g, 'Softmax'), 'axis')).toBe(-1);
    expect(count(g, 'Reshape')).toBe(4);
    expect(ops(g)).not.toContain('Range');
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('multiHeadAttention: causal mask from Range/GreaterOrEqual, padding mask by Equal + Not', () => {
    const g = exportMany(
      {
        id: 'y',
        type: 'multiHeadAttention',
        numHeads: 2,
        keyDim: 3,
        useCausalMask: true,
        paddingMask: 'm',
      },
      [
        { id: 'x', shape: [null, 8] },
        { id: 'm', shape: [null], dtype: 'int32' },
      ],
    );
    for (const op of ['Range', 'GreaterOrEqual', 'Cast', 'Equal', 'Not', 'And']) {
      expect(ops(g)).toContain(op);
    }
    expect(node(g, 'Cast')?.input).toEqual(['m']);
    expect(ops(g)).not.toContain('Trilu');
  });

  it('multiHeadAttention: outputShape reshapes the output, no bias drops the Adds', () => {
    const g = exportMany(
      {
        id: 'y',
        type: 'multiHeadAttention',
        inputs: ['q', 'v'],
        numHeads: 2,
        keyDim: 3,
        valueDim: 4,
        outputShape: [2, 5],
        useBias: false,
      },
      [
        { id: 'q', shape: [3, 7] },
        { id: 'v', shape: [4, 6] },
      ],
    );
    const weights = Object.entries(initDims(g)).filter(([n]) => n.startsWith('y.'));
    expect(Object.fromEntries(weights)).toEqual({
      'y.query.kernel': [7, 6],
      'y.key.kernel': [6, 6],
      'y.value.kernel': [6, 8],
      'y.output.kernel': [8, 10],
    });
    expect(initDims(g)['y/output_shape']).toEqual([4]);
    expect(ops(g)).not.toContain('Add');
    expect(g.node?.at(-1)?.op_type).toBe('Reshape');
  });

  it('transformerEncoder: two LayerNormalizations with epsilon, FFN with exact GELU via Erf', () => {
    const layer = {
      id: 'y',
      type: 'transformerEncoder',
      intermediateDim: 16,
      numHeads: 2,
      activation: 'gelu',
      layerNormEpsilon: 1e-3,
    } as const;
    const g = graphOf(exportLayer(layer, [null, 8]));
    expect(count(g, 'LayerNormalization')).toBe(2);
    expect(attr(node(g, 'LayerNormalization'), 'epsilon')).toBeCloseTo(1e-3);
    expect(ops(g)).toContain('Erf');
    expect(ops(g)).not.toContain('Range');
    expect(initDims(g)).toMatchObject({
      'y.selfAttention.query.kernel': [8, 8],
      'y.ffn.intermediate.kernel': [8, 16],
      'y.ffn.output.kernel': [16, 8],
      'y.ffnNorm.gamma': [8],
    });
    // post-norm: the block ends with the FFN's norm, pre-norm with the residual Add
    expect(g.node?.at(-1)?.op_type).toBe('LayerNormalization');
    const pre = graphOf(exportLayer({ ...layer, normalizeFirst: true }, [null, 8]));
    expect(pre.node?.at(-1)?.op_type).toBe('Add');
    expect(pre.node?.at(-1)?.output).toEqual(['y']);
  });

  it('transformerDecoder: always causal; cross-attention over the encoder with its own norm', () => {
    const g = exportMany(
      {
        id: 'y',
        type: 'transformerDecoder',
        inputs: ['x', 'e'],
        intermediateDim: 16,
        numHeads: 2,
      },
      [
        { id: 'x', shape: [null, 8] },
        { id: 'e', shape: [5, 6] },
      ],
    );
    expect(count(g, 'Softmax')).toBe(2);
    expect(count(g, 'LayerNormalization')).toBe(3);
    expect(ops(g)).toContain('GreaterOrEqual');
    expect(initDims(g)).toMatchObject({
      'y.crossAttention.key.kernel': [6, 8],
      'y.crossAttentionNorm.gamma': [8],
    });
    const alone = graphOf(
      exportLayer({ id: 'y', type: 'transformerDecoder', intermediateDim: 4, numHeads: 2 }, [
        null,
        8,
      ]),
    );
    expect(count(alone, 'Softmax')).toBe(1);
    expect(count(alone, 'LayerNormalization')).toBe(2);
  });

  it('attention: dot scores by MatMul (scale), concat by ReduceSum of Tanh', () => {
    const inputs = [
      { id: 'q', shape: [3, 4] },
      { id: 'v', shape: [5, 4] },
    ];
    const dot = exportMany(
      { id: 'y', type: 'attention', inputs: ['q', 'v'], useScale: true },
      inputs,
    );
    expect(ops(dot)).toEqual(['Transpose', 'MatMul', 'Mul', 'Softmax', 'MatMul']);
    expect(initDims(dot)).toEqual({ 'y.scale': [] });
    const concat = exportMany(
      { id: 'y', type: 'attention', inputs: ['q', 'v'], scoreMode: 'concat' },
      inputs,
    );
    expect(ops(concat)).toContain('ReduceSum');
    expect(ops(concat)).toContain('Tanh');
    expect(attr(node(concat, 'ReduceSum'), 'keepdims')).toBe(0);
  });

  it('additiveAttention: per-feature scale, causal mask when asked', () => {
    const g = exportMany(
      { id: 'y', type: 'additiveAttention', inputs: ['q', 'v'], useCausalMask: true },
      [
        { id: 'q', shape: [null, 4] },
        { id: 'v', shape: [null, 4] },
      ],
    );
    expect(initDims(g)['y.scale']).toEqual([4]);
    for (const op of ['Tanh', 'ReduceSum', 'GreaterOrEqual', 'Softmax']) {
      expect(ops(g)).toContain(op);
    }
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });
});
