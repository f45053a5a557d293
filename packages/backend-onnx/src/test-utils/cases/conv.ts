import type { LayerInput } from '@netspec/spec';
import type { ParityCase } from '../parity.js';

const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
const seq = { shape: [9, 4], run: [2, 9, 4] };
const img = { shape: [7, 6, 4], run: [2, 7, 6, 4] };
const freeSeq = { shape: [null, 4], run: [2, 8, 4] };
const freeImg = { shape: [null, null, 4], run: [2, 6, 5, 4] };

const layer = (type: string, fields: Record<string, unknown>) =>
  ({ id: 'y', type, ...fields }) as LayerInput;

/** A case on `input` with a random bias where the layer has one. */
const conv = (
  name: string,
  type: string,
  fields: Record<string, unknown>,
  input: ParityCase['input'] = type.includes('1d') ? seq : img,
  opset?: number,
): ParityCase => ({
  name,
  layer: layer(type, { biasInitializer: uniform, ...fields }),
  input,
  ...(opset ? { opset } : {}),
});

const convolutionCases: ParityCase[] = [
  conv('conv1d valid', 'conv1d', { filters: 5, kernelSize: 3 }),
  conv('conv1d same stride 2 relu', 'conv1d', {
    filters: 5,
    kernelSize: 4,
    strides: 2,
    padding: 'same',
    activation: 'relu',
  }),
  conv('conv1d causal dilation 2', 'conv1d', {
    filters: 3,
    kernelSize: 3,
    padding: 'causal',
    dilationRate: 2,
  }),
  conv(
    'conv1d same dilation 3 free steps',
    'conv1d',
    {
      filters: 3,
      kernelSize: 2,
      padding: 'same',
      dilationRate: 3,
    },
    freeSeq,
  ),
  conv('conv1d groups 2 no bias', 'conv1d', {
    filters: 6,
    kernelSize: 3,
    groups: 2,
    useBias: false,
  }),
  conv('conv2d valid', 'conv2d', { filters: 5, kernelSize: 3 }),
  conv('conv2d same [3, 2] strides [2, 1] tanh', 'conv2d', {
    filters: 5,
    kernelSize: [3, 2],
    strides: [2, 1],
    padding: 'same',
    activation: 'tanh',
  }),
  conv('conv2d same dilation 2', 'conv2d', {
    filters: 3,
    kernelSize: 3,
    padding: 'same',
    dilationRate: 2,
  }),
  conv('conv2d valid dilation [2, 1] no bias', 'conv2d', {
    filters: 3,
    kernelSize: [2, 3],
    dilationRate: [2, 1],
    useBias: false,
  }),
  conv('conv2d groups 2', 'conv2d', { filters: 4, kernelSize: 3, groups: 2, padding: 'same' }),
  conv(
    'conv2d same stride 2 free height and width',
    'conv2d',
    {
      filters: 3,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
    },
    freeImg,
  ),
  conv(
    'conv2d swish opset 18',
    'conv2d',
    { filters: 2, kernelSize: 1, activation: 'swish' },
    img,
    18,
  ),
  conv('depthwiseConv2d valid', 'depthwiseConv2d', { kernelSize: 3 }),
  conv('depthwiseConv2d same multiplier 2 strides 2 relu', 'depthwiseConv2d', {
    kernelSize: [3, 2],
    depthMultiplier: 2,
    strides: 2,
    padding: 'same',
    activation: 'relu',
  }),
  conv('depthwiseConv2d dilation 2 no bias', 'depthwiseConv2d', {
    kernelSize: 2,
    dilationRate: 2,
    useBias: false,
  }),
  conv('separableConv2d valid', 'separableConv2d', { filters: 5, kernelSize: 3 }),
  conv('separableConv2d same multiplier 2 strides 2 elu', 'separableConv2d', {
    filters: 3,
    kernelSize: 3,
    depthMultiplier: 2,
    strides: 2,
    padding: 'same',
    activation: 'elu',
  }),
  conv('separableConv2d dilation 2 no bias', 'separableConv2d', {
    filters: 3,
    kernelSize: 2,
    dilationRate: 2,
    useBias: false,
  }),
];

const transposedCases: ParityCase[] = [
  conv('conv1dTranspose valid', 'conv1dTranspose', { filters: 3, kernelSize: 3 }),
  conv('conv1dTranspose same stride 2', 'conv1dTranspose', {
    filters: 3,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
  }),
  conv('conv1dTranspose valid kernel < stride', 'conv1dTranspose', {
    filters: 2,
    kernelSize: 2,
    strides: 3,
  }),
  conv(
    'conv1dTranspose same kernel < stride free steps',
    'conv1dTranspose',
    {
      filters: 2,
      kernelSize: 2,
      strides: 3,
      padding: 'same',
    },
    freeSeq,
  ),
  conv('conv1dTranspose same outputPadding 1 relu', 'conv1dTranspose', {
    filters: 3,
    kernelSize: 4,
    strides: 2,
    padding: 'same',
    outputPadding: 1,
    activation: 'relu',
  }),
  conv('conv1dTranspose valid dilation 2 no bias', 'conv1dTranspose', {
    filters: 3,
    kernelSize: 3,
    dilationRate: 2,
    useBias: false,
  }),
  conv('conv2dTranspose valid', 'conv2dTranspose', { filters: 3, kernelSize: 3 }),
  conv('conv2dTranspose same stride 2', 'conv2dTranspose', {
    filters: 3,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
  }),
  conv('conv2dTranspose same [4, 3] strides [2, 3]', 'conv2dTranspose', {
    filters: 2,
    kernelSize: [4, 3],
    strides: [2, 3],
    padding: 'same',
  }),
  conv('conv2dTranspose valid outputPadding [1, 0] strides 2 tanh', 'conv2dTranspose', {
    filters: 2,
    kernelSize: 3,
    strides: 2,
    outputPadding: [1, 0],
    activation: 'tanh',
  }),
  conv('conv2dTranspose same outputPadding 1 kernel 1 stride 2', 'conv2dTranspose', {
    filters: 2,
    kernelSize: 1,
    strides: 2,
    padding: 'same',
    outputPadding: 1,
  }),
  conv('conv2dTranspose same dilation 2 no bias', 'conv2dTranspose', {
    filters: 2,
    kernelSize: 3,
    dilationRate: 2,
    padding: 'same',
    useBias: false,
  }),
  conv(
    'conv2dTranspose same stride 2 free height and width',
    'conv2dTranspose',
    {
      filters: 2,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
    },
    freeImg,
  ),
];

const plain = (
  name: string,
  type: string,
  fields: Record<string, unknown>,
  input: ParityCase['input'],
): ParityCase => ({
  name,
  layer: layer(type, fields),
  input,
});

const resizeCases: ParityCase[] = [
  plain('upSampling1d default', 'upSampling1d', {}, seq),
  plain('upSampling1d size 3 free steps', 'upSampling1d', { size: 3 }, freeSeq),
  plain('upSampling2d nearest default', 'upSampling2d', {}, img),
  plain('upSampling2d nearest [2, 3]', 'upSampling2d', { size: [2, 3] }, img),
  plain('upSampling2d bilinear 2', 'upSampling2d', { interpolation: 'bilinear' }, img),
  plain(
    'upSampling2d bilinear [3, 2] free',
    'upSampling2d',
    { size: [3, 2], interpolation: 'bilinear' },
    freeImg,
  ),
  plain('zeroPadding1d default', 'zeroPadding1d', {}, seq),
  plain('zeroPadding1d [2, 0]', 'zeroPadding1d', { padding: [2, 0] }, freeSeq),
  plain('zeroPadding2d default', 'zeroPadding2d', {}, img),
  plain('zeroPadding2d [1, 2]', 'zeroPadding2d', { padding: [1, 2] }, img),
  plain(
    'zeroPadding2d [[0, 1], [2, 3]]',
    'zeroPadding2d',
    {
      padding: [
        [0, 1],
        [2, 3],
      ],
    },
    freeImg,
  ),
  plain('cropping1d default', 'cropping1d', {}, seq),
  plain('cropping1d [0, 2]', 'cropping1d', { cropping: [0, 2] }, freeSeq),
  plain('cropping1d [3, 0]', 'cropping1d', { cropping: [3, 0] }, seq),
  plain('cropping2d default', 'cropping2d', {}, img),
  plain('cropping2d 1', 'cropping2d', { cropping: 1 }, img),
  plain(
    'cropping2d [[0, 2], [1, 0]]',
    'cropping2d',
    {
      cropping: [
        [0, 2],
        [1, 0],
      ],
    },
    freeImg,
  ),
  plain('upSampling1d int32', 'upSampling1d', {}, { ...seq, dtype: 'int32' }),
  plain('upSampling2d nearest int32', 'upSampling2d', {}, { ...img, dtype: 'int32' }),
  plain(
    'upSampling2d bilinear int32 (quarter weights: exact)',
    'upSampling2d',
    { interpolation: 'bilinear' },
    { ...img, dtype: 'int32' },
  ),
  plain('zeroPadding2d int32', 'zeroPadding2d', { padding: [1, 2] }, { ...img, dtype: 'int32' }),
  plain('cropping1d int32', 'cropping1d', {}, { ...seq, dtype: 'int32' }),
];

/** Parity cases of the conv family: every kind and its important options. */
export const CONV_CASES: ParityCase[] = [...convolutionCases, ...transposedCases, ...resizeCases];
