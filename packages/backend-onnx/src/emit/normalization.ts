import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The normalization family in ONNX. */
export const normalizationEmitters = {
  batchNorm: notYet as Emitter<'batchNorm'>,
  layerNorm: notYet as Emitter<'layerNorm'>,
  groupNorm: notYet as Emitter<'groupNorm'>,
  rmsNorm: notYet as Emitter<'rmsNorm'>,
};
