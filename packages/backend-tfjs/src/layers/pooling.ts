import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The pooling family on tfjs. */
export const poolingImpls = {
  maxPool1d: notYet as LayerImpl<'maxPool1d'>,
  maxPool2d: notYet as LayerImpl<'maxPool2d'>,
  avgPool1d: notYet as LayerImpl<'avgPool1d'>,
  avgPool2d: notYet as LayerImpl<'avgPool2d'>,
  globalMaxPool1d: notYet as LayerImpl<'globalMaxPool1d'>,
  globalMaxPool2d: notYet as LayerImpl<'globalMaxPool2d'>,
  globalAvgPool1d: notYet as LayerImpl<'globalAvgPool1d'>,
  globalAvgPool2d: notYet as LayerImpl<'globalAvgPool2d'>,
};
