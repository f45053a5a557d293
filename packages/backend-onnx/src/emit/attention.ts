import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The attention family in ONNX. */
export const attentionEmitters = {
  attention: notYet as Emitter<'attention'>,
  additiveAttention: notYet as Emitter<'additiveAttention'>,
  multiHeadAttention: notYet as Emitter<'multiHeadAttention'>,
  positionEmbedding: notYet as Emitter<'positionEmbedding'>,
  sinusoidalPositionEncoding: notYet as Emitter<'sinusoidalPositionEncoding'>,
  tokenAndPositionEmbedding: notYet as Emitter<'tokenAndPositionEmbedding'>,
  transformerEncoder: notYet as Emitter<'transformerEncoder'>,
  transformerDecoder: notYet as Emitter<'transformerDecoder'>,
};
