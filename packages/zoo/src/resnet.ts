import type { BlockInput, LayerInput, SpecInput } from './types.js';

/** torchvision's BatchNorm2d: eps 1e-5, momentum 0.1 (Keras's momentum 0.9). */
const BN = { type: 'batchNorm', epsilon: 1e-5, momentum: 0.9 } as const;

function conv(
  id: string,
  filters: number,
  kernelSize: number,
  strides = 1,
  padding: 'same' | 'valid' = 'same',
): LayerInput {
  return { id, type: 'conv2d', filters, kernelSize, strides, padding, useBias: false };
}

function bn(id: string, inputs?: string[]): LayerInput {
  return inputs ? { id, ...BN, inputs } : { id, ...BN };
}

function relu(id: string, inputs?: string[]): LayerInput {
  return inputs
    ? { id, type: 'activation', activation: 'relu', inputs }
    : { id, type: 'activation', activation: 'relu' };
}

/**
 * A 3x3 convolution padded 1 on every side as in PyTorch. With stride 1 that is Keras's 'same';
 * with stride 2 'same' pads only bottom/right, so the spec pads explicitly and convolves 'valid'.
 */
function conv3x3(id: string, filters: number, strides: number): LayerInput[] {
  if (strides === 1) return [conv(id, filters, 3)];
  return [
    { id: `${id}_pad`, type: 'zeroPadding2d', padding: 1 },
    conv(id, filters, 3, strides, 'valid'),
  ];
}

/** torchvision BasicBlock: conv3x3-BN-relu-conv3x3-BN, + skip (1x1 conv-BN when projecting), relu. */
function basicBlock(filters: number, strides: number, project: boolean): BlockInput {
  const layers: LayerInput[] = [
    ...conv3x3('conv1', filters, strides),
    bn('bn1'),
    relu('relu1'),
    conv('conv2', filters, 3),
    bn('bn2'),
  ];
  let skip = 'x';
  if (project) {
    layers.push(
      { ...conv('downsample_conv', filters, 1, strides, 'valid'), inputs: ['x'] },
      bn('downsample_bn'),
    );
    skip = 'downsample_bn';
  }
  layers.push({ id: 'add', type: 'add', inputs: [skip, 'bn2'] }, relu('out'));
  return { inputs: ['x'], layers };
}

/**
 * torchvision Bottleneck (ResNet v1.5: the stride on the 3x3 convolution): 1x1 conv to `width`,
 * 3x3 conv, 1x1 conv to 4 * width, each with BN; + skip (1x1 conv-BN when projecting), relu.
 */
function bottleneckBlock(width: number, strides: number, project: boolean): BlockInput {
  const out = width * 4;
  const layers: LayerInput[] = [
    conv('conv1', width, 1),
    bn('bn1'),
    relu('relu1'),
    ...conv3x3('conv2', width, strides),
    bn('bn2'),
    relu('relu2'),
    conv('conv3', out, 1),
    bn('bn3'),
  ];
  let skip = 'x';
  if (project) {
    layers.push(
      { ...conv('downsample_conv', out, 1, strides, 'valid'), inputs: ['x'] },
      bn('downsample_bn'),
    );
    skip = 'downsample_bn';
  }
  layers.push({ id: 'add', type: 'add', inputs: [skip, 'bn3'] }, relu('out'));
  return { inputs: ['x'], layers };
}

export type ResnetDepth = 18 | 34 | 50;

export interface ResnetOptions {
  depth: ResnetDepth;
  /** Default 1000 (ImageNet). */
  classes?: number;
  /** Channels-last, without the batch dimension; default [224, 224, 3]. */
  inputShape?: [number, number, number];
}

const STAGES: Record<ResnetDepth, { bottleneck: boolean; counts: number[] }> = {
  18: { bottleneck: false, counts: [2, 2, 2, 2] },
  34: { bottleneck: false, counts: [3, 4, 6, 3] },
  50: { bottleneck: true, counts: [3, 4, 6, 3] },
};

/**
 * torchvision's resnet18 / resnet34 / resnet50 in channels-last: 7x7/2 conv (no bias), BN, relu,
 * 3x3/2 max pool (padded 1), four stages of BasicBlocks or Bottlenecks (v1.5), global average
 * pooling and a dense classifier. Each stage is its first block (which strides and projects the
 * skip) followed by `{ type: 'block', repeat }` of the identity block.
 */
export function resnet(options: ResnetOptions): SpecInput {
  const { depth, classes = 1000, inputShape = [224, 224, 3] } = options;
  const { bottleneck, counts } = STAGES[depth];
  const blocks: Record<string, BlockInput> = {};
  const layers: LayerInput[] = [
    { id: 'stem_pad', type: 'zeroPadding2d', padding: 3 },
    conv('conv1', 64, 7, 2, 'valid'),
    bn('bn1'),
    relu('relu'),
    // Zero padding equals PyTorch's -inf padding here: the inputs are >= 0 after relu.
    { id: 'maxpool_pad', type: 'zeroPadding2d', padding: 1 },
    { id: 'maxpool', type: 'maxPool2d', poolSize: 3, strides: 2, padding: 'valid' },
  ];
  let inChannels = 64;
  counts.forEach((count, i) => {
    const width = 64 * 2 ** i;
    const strides = i === 0 ? 1 : 2;
    const outChannels = bottleneck ? width * 4 : width;
    const project = strides !== 1 || inChannels !== outChannels;
    const make = bottleneck ? bottleneckBlock : basicBlock;
    const kind = bottleneck ? 'bottleneck' : 'basic';
    const firstName = project ? `${kind}${width}_down` : `${kind}${width}`;
    const restName = `${kind}${width}`;
    blocks[firstName] = make(width, strides, project);
    if (project) blocks[restName] = make(width, 1, false);
    const stage = `layer${i + 1}`;
    if (project) {
      layers.push({ id: `${stage}_0`, type: 'block', block: firstName });
      if (count > 1) layers.push({ id: stage, type: 'block', block: restName, repeat: count - 1 });
    } else {
      layers.push({ id: stage, type: 'block', block: restName, repeat: count });
    }
    inChannels = outChannels;
  });
  layers.push(
    { id: 'avgpool', type: 'globalAvgPool2d' },
    { id: 'fc', type: 'dense', units: classes, activation: 'softmax' },
  );
  return {
    specVersion: 1,
    name: `resnet${depth}`,
    description: `ResNet-${depth} (He et al. 2015) as torchvision builds it${bottleneck ? ' (v1.5: stride on the 3x3 convolution)' : ''}, channels-last.`,
    inputs: [{ id: 'image', shape: [...inputShape], dtype: 'float32' }],
    layers,
    blocks,
  };
}

/**
 * CIFAR basic block with option-A shortcut (He et al. 2015, section 4.2): when the block strides,
 * the skip subsamples x[::2, ::2] (a 1x1 max pool with stride 2) and pads the channels with zeros,
 * half before and half after (permute channels into a spatial axis, zeroPadding2d, permute back).
 * Parameter-free, as in the paper.
 */
function cifarBlock(filters: number, downsample: boolean): BlockInput {
  const layers: LayerInput[] = [
    ...conv3x3('conv1', filters, downsample ? 2 : 1),
    bn('bn1'),
    relu('relu1'),
    conv('conv2', filters, 3),
    bn('bn2'),
  ];
  let skip = 'x';
  if (downsample) {
    const pad = filters / 4; // from filters / 2 channels to filters: filters / 4 on each side
    layers.push(
      {
        id: 'shortcut_subsample',
        type: 'maxPool2d',
        poolSize: 1,
        strides: 2,
        padding: 'valid',
        inputs: ['x'],
      },
      { id: 'shortcut_to_hcw', type: 'permute', dims: [1, 3, 2] },
      {
        id: 'shortcut_pad',
        type: 'zeroPadding2d',
        padding: [
          [0, 0],
          [pad, pad],
        ],
      },
      { id: 'shortcut', type: 'permute', dims: [1, 3, 2] },
    );
    skip = 'shortcut';
  }
  layers.push({ id: 'add', type: 'add', inputs: [skip, 'bn2'] }, relu('out'));
  return { inputs: ['x'], layers };
}

export interface Resnet20Options {
  /** Default 10 (CIFAR-10). */
  classes?: number;
  /** Default [32, 32, 3]. */
  inputShape?: [number, number, number];
}

/**
 * He et al.'s CIFAR ResNet-20 (n = 3): 3x3 conv 16, three stages of three basic blocks with
 * 16 / 32 / 64 filters, option-A (identity, zero-padded) shortcuts, global average pooling and a
 * dense classifier. 272,474 trainable parameters (0.27M in the paper).
 */
export function resnet20(options: Resnet20Options = {}): SpecInput {
  const { classes = 10, inputShape = [32, 32, 3] } = options;
  const n = 3;
  const layers: LayerInput[] = [conv('conv1', 16, 3), bn('bn1'), relu('relu')];
  const blocks: Record<string, BlockInput> = { cifar16: cifarBlock(16, false) };
  layers.push({ id: 'layer1', type: 'block', block: 'cifar16', repeat: n });
  for (const filters of [32, 64]) {
    blocks[`cifar${filters}_down`] = cifarBlock(filters, true);
    blocks[`cifar${filters}`] = cifarBlock(filters, false);
    const stage = filters === 32 ? 'layer2' : 'layer3';
    layers.push(
      { id: `${stage}_0`, type: 'block', block: `cifar${filters}_down` },
      { id: stage, type: 'block', block: `cifar${filters}`, repeat: n - 1 },
    );
  }
  layers.push(
    { id: 'avgpool', type: 'globalAvgPool2d' },
    { id: 'fc', type: 'dense', units: classes, activation: 'softmax' },
  );
  return {
    specVersion: 1,
    name: 'resnet20',
    description:
      'ResNet-20 for CIFAR-10 (He et al. 2015, section 4.2), option-A zero-padded identity shortcuts.',
    inputs: [{ id: 'image', shape: [...inputShape], dtype: 'float32' }],
    layers,
    blocks,
  };
}
