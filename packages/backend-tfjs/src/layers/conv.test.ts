// After tf.js: tfjs-core's node build must create the engine before this ESM copy loads.
import { describe, expect, it } from 'vitest';
import { layerModel, run } from '../test-utils/layer.js';
import {
  addBias,
  as1d,
  as2d,
  fitsShape,
  inferredShape,
  maxDiff,
  Nd,
  naiveConv2d,
  naiveConvTranspose,
  naiveDepthwise,
  type Pair,
  randomNd,
  samePads,
  setWeight,
} from '../test-utils/reference.js';
import { tf } from '../tf.js';

const TOL = 1e-5;

/** Builds a one-layer model on `x` (batch included), runs it and checks the inferred shape. */
function check(layer: Record<string, unknown>, x: Nd, weights: Record<string, number> = {}) {
  const model = layerModel(layer, [{ shape: x.shape.slice(1) }]);
  const w = Object.fromEntries(
    Object.entries(weights).map(([name, seed]) => [name, setWeight(model, name, seed)]),
  );
  const y = run(model, [x.tensor()])[0] as tf.Tensor;
  expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
  return { y, w: w as Record<string, Nd>, model };
}

const relu = (y: Nd) =>
  new Nd(
    y.shape,
    y.data.map((v) => Math.max(v, 0)),
  );

describe('conv2d', () => {
  it('valid, stride 1, with bias: a naive convolution', () => {
    const x = randomNd([2, 5, 6, 3], 1);
    const layer = { type: 'conv2d', filters: 4, kernelSize: 3 };
    const { y, w } = check(layer, x, { kernel: 2, bias: 3 });
    const opts = {
      strides: [1, 1] as Pair,
      dilation: [1, 1] as Pair,
      pads: [
        [0, 0],
        [0, 0],
      ] as [Pair, Pair],
    };
    const want = addBias(naiveConv2d(x, w.kernel as Nd, opts), w.bias as Nd);
    expect(y.shape).toEqual([2, 3, 4, 4]);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('same, stride 2, even kernel width, odd and even sizes: TF/Keras padding, relu', () => {
    const x = randomNd([2, 7, 8, 2], 4);
    const layer = {
      type: 'conv2d',
      filters: 3,
      kernelSize: [3, 4],
      strides: 2,
      padding: 'same',
      activation: 'relu',
      useBias: false,
    };
    const { y, w } = check(layer, x, { kernel: 5 });
    // rows: ceil(7/2)=4, total (4-1)*2+3-7 = 2 -> [1, 1]; cols: ceil(8/2)=4, (4-1)*2+4-8 = 2 -> [1, 1]
    const pads: [Pair, Pair] = [samePads(7, 3, 2), samePads(8, 4, 2)];
    expect(pads).toEqual([
      [1, 1],
      [1, 1],
    ]);
    const want = relu(naiveConv2d(x, w.kernel as Nd, { strides: [2, 2], dilation: [1, 1], pads }));
    expect(y.shape).toEqual([2, 4, 4, 3]);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('same with an odd total padding puts the extra zero after (stride 2, size 8, kernel 3)', () => {
    const x = randomNd([1, 8, 8, 1], 6);
    const layer = { type: 'conv2d', filters: 2, kernelSize: 3, strides: 2, padding: 'same' };
    const { y, w } = check(layer, x, { kernel: 7, bias: 8 });
    // (4-1)*2 + 3 - 8 = 1 -> [0, 1]
    const pads: [Pair, Pair] = [
      [0, 1],
      [0, 1],
    ];
    const want = naiveConv2d(x, w.kernel as Nd, { strides: [2, 2], dilation: [1, 1], pads });
    expect(maxDiff(y, addBias(want, w.bias as Nd))).toBeLessThan(TOL);
  });

  it('dilation 2 with same padding and 2 groups', () => {
    const x = randomNd([2, 6, 7, 4], 9);
    const layer = {
      type: 'conv2d',
      filters: 6,
      kernelSize: 3,
      dilationRate: [2, 1],
      padding: 'same',
      groups: 2,
    };
    const { y, w } = check(layer, x, { kernel: 10, bias: 11 });
    // spans 5 and 3: pads [2, 2] and [1, 1]
    const pads: [Pair, Pair] = [samePads(6, 5, 1), samePads(7, 3, 1)];
    const opts = { strides: [1, 1] as Pair, dilation: [2, 1] as Pair, pads, groups: 2 };
    const want = addBias(naiveConv2d(x, w.kernel as Nd, opts), w.bias as Nd);
    expect(y.shape).toEqual([2, 6, 7, 6]);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('dilated kernels have gradients: d sum(y) / d kernel[p,q,c,f] = sum of the inputs under that tap', () => {
    const x = randomNd([1, 6, 6, 2], 12);
    const model = layerModel({ type: 'conv2d', filters: 1, kernelSize: 2, dilationRate: 2 }, [
      { shape: [6, 6, 2] },
    ]);
    const kernel = model.weights.get('layer.kernel')?.variable as tf.Variable;
    const { grads } = tf.variableGrads(
      () => tf.sum(run(model, [x.tensor()], true)[0] as tf.Tensor) as tf.Scalar,
      [kernel],
    );
    // output 4x4 (span 3); tap (p, q) reads rows i + 2p, columns j + 2q
    const want = new Nd([2, 2, 2, 1]);
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 2; q++)
        for (let c = 0; c < 2; c++)
          for (let i = 0; i < 4; i++)
            for (let j = 0; j < 4; j++) want.add(x.get(0, i + 2 * p, j + 2 * q, c), p, q, c, 0);
    expect(maxDiff(grads[kernel.name] as tf.Tensor, want)).toBeLessThan(1e-4);
  });
});

describe('conv1d', () => {
  const naive1d = (x: Nd, k: Nd, stride: number, dilation: number, pads: Pair, groups = 1) =>
    as1d(
      naiveConv2d(as2d(x), new Nd([1, ...k.shape], k.data), {
        strides: [1, stride],
        dilation: [1, dilation],
        pads: [[0, 0], pads],
        groups,
      }),
    );

  it('valid with stride 2, and same with stride 2', () => {
    const x = randomNd([2, 9, 3], 13);
    const valid = check({ type: 'conv1d', filters: 4, kernelSize: 3, strides: 2 }, x, {
      kernel: 14,
      bias: 15,
    });
    // floor((9-3)/2)+1 = 4
    expect(valid.y.shape).toEqual([2, 4, 4]);
    const k = valid.w.kernel as Nd;
    expect(maxDiff(valid.y, addBias(naive1d(x, k, 2, 1, [0, 0]), valid.w.bias as Nd))).toBeLessThan(
      TOL,
    );
    const same = check(
      { type: 'conv1d', filters: 4, kernelSize: 4, strides: 2, padding: 'same', useBias: false },
      x,
      { kernel: 16 },
    );
    // ceil(9/2) = 5; total (5-1)*2 + 4 - 9 = 3 -> [1, 2]
    expect(samePads(9, 4, 2)).toEqual([1, 2]);
    expect(maxDiff(same.y, naive1d(x, same.w.kernel as Nd, 2, 1, [1, 2]))).toBeLessThan(TOL);
  });

  it('causal: (k-1)*d zeros on the left only, so step t sees no later step', () => {
    const x = randomNd([1, 8, 2], 17);
    const layer = { type: 'conv1d', filters: 3, kernelSize: 3, dilationRate: 2, padding: 'causal' };
    const { y, w } = check(layer, x, { kernel: 18, bias: 19 });
    // (3-1)*2 = 4 zeros before the first step
    const want = addBias(naive1d(x, w.kernel as Nd, 1, 2, [4, 0]), w.bias as Nd);
    expect(y.shape).toEqual([1, 8, 3]);
    expect(maxDiff(y, want)).toBeLessThan(TOL);
  });

  it('groups split channels and filters; tanh activation', () => {
    const x = randomNd([2, 6, 4], 20);
    const layer = { type: 'conv1d', filters: 6, kernelSize: 2, groups: 2, activation: 'tanh' };
    const { y, w } = check(layer, x, { kernel: 21, bias: 22 });
    const z = addBias(naive1d(x, w.kernel as Nd, 1, 1, [0, 0], 2), w.bias as Nd);
    expect(maxDiff(y, new Nd(z.shape, z.data.map(Math.tanh)))).toBeLessThan(TOL);
  });
});

/** Keras's output length and TF's crop offset of a transposed convolution, by formula. */
function deconv(n: number, span: number, s: number, padding: string, op: number | null) {
  let out: number;
  if (op === null) out = padding === 'valid' ? n * s + Math.max(span - s, 0) : n * s;
  else out = (n - 1) * s + span - 2 * (padding === 'same' ? Math.floor(span / 2) : 0) + op;
  const offset = padding === 'same' ? Math.floor(Math.max((n - 1) * s + span - out, 0) / 2) : 0;
  return { out, offset };
}

describe('conv1dTranspose', () => {
  // x = [1, 2], taps [1, 10, 100], stride 2: full = [1, 10, 100+2, 20, 200]
  const cases: [Record<string, unknown>, number[]][] = [
    // valid: length 2*2 + max(3-2, 0) = 5, the full result
    [{}, [1, 10, 102, 20, 200]],
    // same: length 4, excess (2-1)*2 + 3 - 4 = 1, offset 0
    [{ padding: 'same' }, [1, 10, 102, 20]],
    // same, outputPadding 0: length (2-1)*2 + 3 - 2 + 0 = 3, excess 2, offset 1
    [{ padding: 'same', outputPadding: 0 }, [10, 102, 20]],
    // valid, outputPadding 1: length (2-1)*2 + 3 + 1 = 6, one zero past the full result
    [{ outputPadding: 1 }, [1, 10, 102, 20, 200, 0]],
  ];
  it.each(cases)('pins Keras/TF placement by hand: %j', (extra, want) => {
    const model = layerModel(
      { type: 'conv1dTranspose', filters: 1, kernelSize: 3, strides: 2, ...extra },
      [{ shape: [2, 1] }],
    );
    model.weights.get('layer.kernel')?.variable.assign(tf.tensor([1, 10, 100], [3, 1, 1]));
    const y = run(model, [tf.tensor([1, 2], [1, 2, 1])])[0] as tf.Tensor;
    expect(fitsShape(y.shape, inferredShape(model))).toBe(true);
    expect(Array.from(y.dataSync())).toEqual(want);
  });

  it('matches a naive scatter with channels, bias and dilation', () => {
    const x = randomNd([2, 5, 3], 23);
    const layer = { type: 'conv1dTranspose', filters: 2, kernelSize: 3, dilationRate: 2 };
    const { y, w } = check(layer, x, { kernel: 24, bias: 25 });
    // span 5: 5 + 4 = 9
    const k = w.kernel as Nd;
    const naive = naiveConvTranspose(as2d(x), new Nd([1, ...k.shape], k.data), {
      strides: [1, 1],
      dilation: [1, 2],
      offset: [0, 0],
      out: [1, 9],
    });
    expect(y.shape).toEqual([2, 9, 2]);
    expect(maxDiff(y, addBias(as1d(naive), w.bias as Nd))).toBeLessThan(TOL);
  });
});

describe('conv2dTranspose', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['valid, stride 2, kernel 3', { kernelSize: 3, strides: 2 }],
    ['same, stride 2, kernel 4 (DCGAN)', { kernelSize: 4, strides: 2, padding: 'same' }],
    [
      'same, stride 2, kernel 3, outputPadding [1, 0]',
      {
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        outputPadding: [1, 0],
      },
    ],
    ['valid, stride 3 > kernel 2: zero rows after', { kernelSize: 2, strides: 3 }],
    ['valid, dilation 2, kernel [2, 3]', { kernelSize: [2, 3], dilationRate: 2 }],
    ['same, strides [1, 2], kernel 5', { kernelSize: 5, strides: [1, 2], padding: 'same' }],
  ];
  it.each(cases)("%s: a naive scatter cropped at TF's offset, plus bias, relu", (_n, extra) => {
    const x = randomNd([2, 3, 4, 3], 26);
    const layer = { type: 'conv2dTranspose', filters: 2, activation: 'relu', ...extra };
    const { y, w } = check(layer, x, { kernel: 27, bias: 28 });
    const pairOf = (v: unknown): Pair => (typeof v === 'number' ? [v, v] : (v as Pair));
    const k = pairOf(extra.kernelSize);
    const s = pairOf(extra.strides ?? 1);
    const d = pairOf(extra.dilationRate ?? 1);
    const op = extra.outputPadding === undefined ? null : pairOf(extra.outputPadding);
    const padding = String(extra.padding ?? 'valid');
    const axes = [0, 1].map((i) =>
      deconv(
        [3, 4][i] as number,
        ((k[i] as number) - 1) * (d[i] as number) + 1,
        s[i] as number,
        padding,
        op?.[i] ?? null,
      ),
    );
    const naive = naiveConvTranspose(x, w.kernel as Nd, {
      strides: s,
      dilation: d,
      offset: axes.map((a) => a.offset) as Pair,
      out: axes.map((a) => a.out) as Pair,
    });
    expect(y.shape).toEqual([2, ...axes.map((a) => a.out), 2]);
    expect(maxDiff(y, relu(addBias(naive, w.bias as Nd)))).toBeLessThan(TOL);
  });
});

describe('depthwiseConv2d / separableConv2d', () => {
  it('depthwise: multiplier 2, stride 2, same, bias; channel c*2 + m', () => {
    const x = randomNd([2, 7, 6, 3], 29);
    const layer = {
      type: 'depthwiseConv2d',
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
    };
    const { y, w } = check(layer, x, { depthwise_kernel: 30, bias: 31 });
    const pads: [Pair, Pair] = [samePads(7, 3, 2), samePads(6, 3, 2)];
    const naive = naiveDepthwise(x, w.depthwise_kernel as Nd, {
      strides: [2, 2],
      dilation: [1, 1],
      pads,
    });
    expect(y.shape).toEqual([2, 4, 3, 6]);
    expect(maxDiff(y, addBias(naive, w.bias as Nd))).toBeLessThan(TOL);
  });

  it('depthwise: dilation 2, valid, no bias', () => {
    const x = randomNd([1, 7, 7, 2], 32);
    const layer = { type: 'depthwiseConv2d', kernelSize: 2, dilationRate: 2, useBias: false };
    const { y, w } = check(layer, x, { depthwise_kernel: 33 });
    const naive = naiveDepthwise(x, w.depthwise_kernel as Nd, {
      strides: [1, 1],
      dilation: [2, 2],
      pads: [
        [0, 0],
        [0, 0],
      ],
    });
    expect(maxDiff(y, naive)).toBeLessThan(TOL);
  });

  it('separable: depthwise (strides) then 1x1 pointwise, then bias', () => {
    const x = randomNd([2, 6, 6, 2], 34);
    const layer = {
      type: 'separableConv2d',
      filters: 3,
      kernelSize: 3,
      strides: 2,
      depthMultiplier: 2,
    };
    const { y, w } = check(layer, x, { depthwise_kernel: 35, pointwise_kernel: 36, bias: 37 });
    const none: [Pair, Pair] = [
      [0, 0],
      [0, 0],
    ];
    const dw = naiveDepthwise(x, w.depthwise_kernel as Nd, {
      strides: [2, 2],
      dilation: [1, 1],
      pads: none,
    });
    const pw = naiveConv2d(dw, w.pointwise_kernel as Nd, {
      strides: [1, 1],
      dilation: [1, 1],
      pads: none,
    });
    expect(y.shape).toEqual([2, 2, 2, 3]);
    expect(maxDiff(y, addBias(pw, w.bias as Nd))).toBeLessThan(TOL);
  });
});
