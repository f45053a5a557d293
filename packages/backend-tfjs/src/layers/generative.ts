import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The generative family on tfjs. */
export const generativeImpls = {
  sampling: notYet as LayerImpl<'sampling'>,
  gaussianNoise: notYet as LayerImpl<'gaussianNoise'>,
};
