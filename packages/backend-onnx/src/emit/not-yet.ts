import { ExportError } from '../errors.js';
import type { Emitter } from './kind.js';

/** The emitter of a kind whose family is not written yet: a clear error, never a wrong graph. */
export const notYet: Emitter<never> = {
  emit(_config, _inputs, ctx) {
    throw new ExportError(
      `${ctx.node.pointer} (${ctx.node.path}): layer kind "${ctx.node.layer.type}" is not exported yet`,
    );
  },
};

/** Every kind still waiting for its family's emitters; each family removes its kinds from here. */
export const notYetEmitters = {
  // merge
  add: notYet,
  subtract: notYet,
  multiply: notYet,
  average: notYet,
  maximum: notYet,
  minimum: notYet,
  concatenate: notYet,
  dot: notYet,
  // conv
  conv1d: notYet,
  conv2d: notYet,
  conv1dTranspose: notYet,
  conv2dTranspose: notYet,
  depthwiseConv2d: notYet,
  separableConv2d: notYet,
  upSampling1d: notYet,
  upSampling2d: notYet,
  zeroPadding1d: notYet,
  zeroPadding2d: notYet,
  cropping1d: notYet,
  cropping2d: notYet,
  // pooling
  maxPool1d: notYet,
  maxPool2d: notYet,
  avgPool1d: notYet,
  avgPool2d: notYet,
  globalAvgPool1d: notYet,
  globalAvgPool2d: notYet,
  globalMaxPool1d: notYet,
  globalMaxPool2d: notYet,
  // normalization
  batchNorm: notYet,
  layerNorm: notYet,
  groupNorm: notYet,
  rmsNorm: notYet,
  // recurrent
  simpleRnn: notYet,
  lstm: notYet,
  gru: notYet,
  bidirectional: notYet,
  // attention
  attention: notYet,
  additiveAttention: notYet,
  multiHeadAttention: notYet,
  positionEmbedding: notYet,
  sinusoidalPositionEncoding: notYet,
  tokenAndPositionEmbedding: notYet,
  transformerEncoder: notYet,
  transformerDecoder: notYet,
  // generative
  sampling: notYet,
  gaussianNoise: notYet,
  // block (the resolver expands `block` itself; no node of that kind reaches the exporter)
  block: notYet,
  timeDistributed: notYet,
};
