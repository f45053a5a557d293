import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The normalization family on tfjs. */
export const normalizationImpls = {
  batchNorm: notYet as LayerImpl<'batchNorm'>,
  layerNorm: notYet as LayerImpl<'layerNorm'>,
  groupNorm: notYet as LayerImpl<'groupNorm'>,
  rmsNorm: notYet as LayerImpl<'rmsNorm'>,
};
