import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The merge family on tfjs. */
export const mergeImpls = {
  add: notYet as LayerImpl<'add'>,
  subtract: notYet as LayerImpl<'subtract'>,
  multiply: notYet as LayerImpl<'multiply'>,
  average: notYet as LayerImpl<'average'>,
  maximum: notYet as LayerImpl<'maximum'>,
  minimum: notYet as LayerImpl<'minimum'>,
  concatenate: notYet as LayerImpl<'concatenate'>,
  dot: notYet as LayerImpl<'dot'>,
};
