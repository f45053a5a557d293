import { additiveAttention, attention } from './attention/dot.js';
import { multiHeadAttention } from './attention/mha.js';
import {
  positionEmbedding,
  sinusoidalPositionEncoding,
  tokenAndPositionEmbedding,
} from './attention/position.js';
import { transformerDecoder, transformerEncoder } from './attention/transformer.js';

/** The attention family on tfjs. */
export const attentionImpls = {
  attention,
  additiveAttention,
  multiHeadAttention,
  positionEmbedding,
  sinusoidalPositionEncoding,
  tokenAndPositionEmbedding,
  transformerEncoder,
  transformerDecoder,
};
