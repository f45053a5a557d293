import { type LayerInput, resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import type { GraphProto } from '../proto/types.js';
import { attr, exportLayer, graphOf, initDims, int64Values, ops } from '../test-utils/graph.js';

const node = (g: GraphProto, op: string) => g.node?.find((n) => n.op_type === op);

/** Exports `layer` with every weight holding 0, 1, 2, ... in Keras's layout. */
function exportCounting(layer: LayerInput, shape: number[]): GraphProto {
  const spec = { specVersion: 1, name: 'g', inputs: [{ id: 'x', shape }], layers: [layer] };
  const model = resolveSpec(spec);
  const tensors = Object.fromEntries(
    model.nodes
      .flatMap((n) => n.params)
      .map((p) => {
        const size = p.shape.reduce((a, b) => a * b, 1);
        const data = Float32Array.from({ length: size }, (_, i) => i);
        return [p.path, { dtype: 'F32' as const, shape: p.shape, data }];
      }),
  );
  return graphOf(decodeModel(exportOnnx(model, writeSafetensors(tensors))));
}

const floats = (g: GraphProto, name: string) => {
  const t = g.initializer?.find((x) => x.name === name);
  return Array.from(new Float32Array(new Uint8Array(t?.raw_data ?? []).buffer));
};

describe('conv emitters: the graph', () => {
  it('conv2d: Conv between Transposes, kernel [kh, kw, in, out] -> [out, in, kh, kw]', () => {
    const g = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'conv2d',
          filters: 4,
          kernelSize: [3, 2],
          strides: [2, 1],
          padding: 'same',
        },
        [7, 6, 2],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'Conv', 'Transpose']);
    expect(initDims(g)).toEqual({ 'y.kernel': [4, 2, 3, 2], 'y.bias': [4] });
    const conv = node(g, 'Conv');
    expect(conv?.input).toEqual([g.node?.[0]?.output?.[0], 'y.kernel', 'y.bias']);
    expect(attr(conv, 'kernel_shape')).toEqual([3, 2]);
    expect(attr(conv, 'strides')).toEqual([2, 1]);
    expect(attr(conv, 'dilations')).toEqual([1, 1]);
    expect(attr(conv, 'group')).toBe(1);
    // rows: out 4, total 2 -> [1, 1]; columns: total 1 -> [0, 1]
    expect(attr(conv, 'pads')).toEqual([1, 0, 1, 1]);
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('the kernel is transposed value by value', () => {
    // Keras [kh=1, kw=2, in=2, out=3]: index (w * 2 + i) * 3 + o
    const g = exportCounting(
      { id: 'y', type: 'conv2d', filters: 3, kernelSize: [1, 2] },
      [3, 3, 2],
    );
    const onnx = floats(g, 'y.kernel');
    const expected: number[] = [];
    for (let o = 0; o < 3; o++)
      for (let i = 0; i < 2; i++) for (let w = 0; w < 2; w++) expected.push((w * 2 + i) * 3 + o);
    expect(onnx).toEqual(expected);
  });

  it('conv2d: groups, dilation, no bias, activation after the Transpose back', () => {
    const g = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'conv2d',
          filters: 4,
          kernelSize: 3,
          groups: 2,
          dilationRate: 2,
          useBias: false,
          activation: 'relu',
        },
        [9, 9, 4],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'Conv', 'Transpose', 'Relu']);
    expect(initDims(g)).toEqual({ 'y.kernel': [4, 2, 3, 3] });
    expect(node(g, 'Conv')?.input).toHaveLength(2);
    expect(attr(node(g, 'Conv'), 'group')).toBe(2);
    expect(attr(node(g, 'Conv'), 'dilations')).toEqual([2, 2]);
    expect(attr(node(g, 'Conv'), 'pads')).toBeUndefined();
    expect(g.node?.at(-1)?.output).toEqual(['y']);
  });

  it('conv1d: (B, T, C) <-> (B, C, T); causal pads (k-1)*d before only; free lengths', () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'conv1d', filters: 3, kernelSize: 3, dilationRate: 2, padding: 'causal' },
        [8, 2],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'Conv', 'Transpose']);
    expect(attr(g.node?.[0], 'perm')).toEqual([0, 2, 1]);
    expect(initDims(g)).toEqual({ 'y.kernel': [3, 2, 3], 'y.bias': [3] });
    expect(attr(node(g, 'Conv'), 'pads')).toEqual([4, 0]);
    const same = graphOf(
      exportLayer(
        { id: 'y', type: 'conv1d', filters: 3, kernelSize: 4, dilationRate: 2, padding: 'same' },
        [null, 2],
      ),
    );
    // stride 1: span 7 pads [3, 3] whatever the length
    expect(attr(node(same, 'Conv'), 'pads')).toEqual([3, 3]);
    const strided = graphOf(
      exportLayer(
        { id: 'y', type: 'conv1d', filters: 3, kernelSize: 4, strides: 2, padding: 'same' },
        [null, 2],
      ),
    );
    expect(attr(node(strided, 'Conv'), 'auto_pad')).toBe('SAME_UPPER');
  });

  it('depthwiseConv2d: Conv with group = channels, kernel [in*m, 1, kh, kw]', () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'depthwiseConv2d', kernelSize: 3, depthMultiplier: 2 },
        [5, 5, 3],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'Conv', 'Transpose']);
    expect(initDims(g)).toEqual({ 'y.depthwise_kernel': [6, 1, 3, 3], 'y.bias': [6] });
    expect(attr(node(g, 'Conv'), 'group')).toBe(3);
    // Keras [1, 1, in=2, m=2]: (ch, m) -> ONNX channel ch*2 + m, the same order
    const c = exportCounting(
      { id: 'y', type: 'depthwiseConv2d', kernelSize: [1, 2], depthMultiplier: 2 },
      [3, 3, 2],
    );
    // Keras index (w * 2 + ch) * 2 + m; ONNX ((ch * 2 + m) * 2 + w)
    expect(floats(c, 'y.depthwise_kernel')).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
  });

  it('separableConv2d: depthwise Conv (no bias) then a 1x1 Conv with the bias', () => {
    const g = graphOf(
      exportLayer(
        { id: 'y', type: 'separableConv2d', filters: 4, kernelSize: 3, depthMultiplier: 2 },
        [5, 5, 3],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'Conv', 'Conv', 'Transpose']);
    expect(initDims(g)).toEqual({
      'y.depthwise_kernel': [6, 1, 3, 3],
      'y.pointwise_kernel': [4, 6, 1, 1],
      'y.bias': [4],
    });
    expect(g.node?.[1]?.input).toHaveLength(2);
    expect(g.node?.[2]?.input?.[2]).toBe('y.bias');
    expect(attr(g.node?.[1], 'group')).toBe(3);
    expect(attr(g.node?.[2], 'group')).toBe(1);
  });

  it("transposed convs: ConvTranspose, kernel [kh, kw, filters, in] -> [in, filters, kh, kw], Keras's cropping", () => {
    const g = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'conv2dTranspose',
          filters: 4,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
        },
        [5, 5, 2],
      ),
    );
    expect(ops(g)).toEqual(['Transpose', 'ConvTranspose', 'Transpose']);
    expect(initDims(g)).toEqual({ 'y.kernel': [2, 4, 3, 3], 'y.bias': [4] });
    const ct = node(g, 'ConvTranspose');
    // full (n-1)*2 + 3 = 2n + 1, output 2n: one row dropped, at the end (offset floor(1/2) = 0)
    expect(attr(ct, 'pads')).toEqual([0, 0, 1, 1]);
    expect(attr(ct, 'output_padding')).toBeUndefined();
    // kernel 2 < stride 3, valid: output 3n, full 3n - 1: one zero row after (output_padding)
    const small = graphOf(
      exportLayer({ id: 'y', type: 'conv1dTranspose', filters: 2, kernelSize: 2, strides: 3 }, [
        null,
        2,
      ]),
    );
    expect(initDims(small)).toEqual({ 'y.kernel': [2, 2, 2], 'y.bias': [2] });
    expect(attr(node(small, 'ConvTranspose'), 'pads')).toEqual([0, 0]);
    expect(attr(node(small, 'ConvTranspose'), 'output_padding')).toEqual([1]);
    // same, kernel 4 stride 2, outputPadding 1: pad 2, excess 3 -> [1, 2]
    const op = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'conv1dTranspose',
          filters: 2,
          kernelSize: 4,
          strides: 2,
          padding: 'same',
          outputPadding: 1,
        },
        [6, 2],
      ),
    );
    expect(attr(node(op, 'ConvTranspose'), 'pads')).toEqual([1, 2]);
  });

  it('upSampling: Resize, nearest (asymmetric, floor) on NHWC, bilinear (half_pixel) on NCHW', () => {
    const n = graphOf(exportLayer({ id: 'y', type: 'upSampling2d', size: [2, 3] }, [4, 4, 2]));
    expect(ops(n)).toEqual(['Resize']);
    expect(attr(n.node?.[0], 'mode')).toBe('nearest');
    expect(attr(n.node?.[0], 'coordinate_transformation_mode')).toBe('asymmetric');
    expect(attr(n.node?.[0], 'nearest_mode')).toBe('floor');
    expect(floats(n, n.node?.[0]?.input?.[2] as string)).toEqual([1, 2, 3, 1]);
    const b = graphOf(
      exportLayer({ id: 'y', type: 'upSampling2d', interpolation: 'bilinear' }, [4, 4, 2]),
    );
    expect(ops(b)).toEqual(['Transpose', 'Resize', 'Transpose']);
    expect(attr(b.node?.[1], 'mode')).toBe('linear');
    expect(attr(b.node?.[1], 'coordinate_transformation_mode')).toBe('half_pixel');
    expect(floats(b, b.node?.[1]?.input?.[2] as string)).toEqual([1, 1, 2, 2]);
    const one = graphOf(exportLayer({ id: 'y', type: 'upSampling1d', size: 3 }, [4, 2]));
    expect(floats(one, one.node?.[0]?.input?.[2] as string)).toEqual([1, 3, 1]);
  });

  it('zeroPadding: Pad with [0, befores, 0, 0, afters, 0]; cropping: Slice on the spatial axes', () => {
    const p = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'zeroPadding2d',
          padding: [
            [0, 1],
            [2, 3],
          ],
        },
        [4, 4, 2],
      ),
    );
    expect(ops(p)).toEqual(['Pad']);
    expect(int64Values(p, p.node?.[0]?.input?.[1])).toEqual([0, 0, 2, 0, 0, 1, 3, 0]);
    const c = graphOf(
      exportLayer(
        {
          id: 'y',
          type: 'cropping2d',
          cropping: [
            [1, 0],
            [2, 3],
          ],
        },
        [6, 8, 2],
      ),
    );
    expect(ops(c)).toEqual(['Slice']);
    const [, starts, ends, axes] = c.node?.[0]?.input ?? [];
    expect([starts, ends, axes].map((v) => int64Values(c, v))).toEqual([
      [1, 2],
      [Number(2n ** 63n - 1n), -3],
      [1, 2],
    ]);
    const c1 = graphOf(exportLayer({ id: 'y', type: 'cropping1d', cropping: [0, 2] }, [6, 2]));
    expect(int64Values(c1, c1.node?.[0]?.input?.[2])).toEqual([-2]);
  });
});
