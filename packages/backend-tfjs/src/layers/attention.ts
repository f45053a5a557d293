import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The attention family on tfjs. */
export const attentionImpls = {
  attention: notYet as LayerImpl<'attention'>,
  additiveAttention: notYet as LayerImpl<'additiveAttention'>,
  multiHeadAttention: notYet as LayerImpl<'multiHeadAttention'>,
  positionEmbedding: notYet as LayerImpl<'positionEmbedding'>,
  sinusoidalPositionEncoding: notYet as LayerImpl<'sinusoidalPositionEncoding'>,
  tokenAndPositionEmbedding: notYet as LayerImpl<'tokenAndPositionEmbedding'>,
  transformerEncoder: notYet as LayerImpl<'transformerEncoder'>,
  transformerDecoder: notYet as LayerImpl<'transformerDecoder'>,
};
