import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The recurrent family on tfjs. */
export const recurrentImpls = {
  simpleRnn: notYet as LayerImpl<'simpleRnn'>,
  lstm: notYet as LayerImpl<'lstm'>,
  gru: notYet as LayerImpl<'gru'>,
  bidirectional: notYet as LayerImpl<'bidirectional'>,
};
