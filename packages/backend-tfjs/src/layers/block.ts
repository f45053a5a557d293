import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The block family on tfjs. */
export const blockImpls = {
  block: notYet as LayerImpl<'block'>,
  timeDistributed: notYet as LayerImpl<'timeDistributed'>,
};
