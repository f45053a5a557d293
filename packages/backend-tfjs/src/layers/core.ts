import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The core family on tfjs. */
export const coreImpls = {
  dense: notYet as LayerImpl<'dense'>,
  activation: notYet as LayerImpl<'activation'>,
  prelu: notYet as LayerImpl<'prelu'>,
  dropout: notYet as LayerImpl<'dropout'>,
  flatten: notYet as LayerImpl<'flatten'>,
  reshape: notYet as LayerImpl<'reshape'>,
  permute: notYet as LayerImpl<'permute'>,
  repeatVector: notYet as LayerImpl<'repeatVector'>,
  embedding: notYet as LayerImpl<'embedding'>,
  slice: notYet as LayerImpl<'slice'>,
};
