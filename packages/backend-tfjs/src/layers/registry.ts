import { attentionImpls } from './attention.js';
import { blockImpls } from './block.js';
import { convImpls } from './conv.js';
import { coreImpls } from './core.js';
import { generativeImpls } from './generative.js';
import type { LayerImpls } from './kind.js';
import { mergeImpls } from './merge.js';
import { normalizationImpls } from './normalization.js';
import { poolingImpls } from './pooling.js';
import { recurrentImpls } from './recurrent.js';

/** How tfjs runs every layer kind of the spec; a kind missing here is a compile error. */
export const LAYER_IMPLS = {
  ...coreImpls,
  ...mergeImpls,
  ...convImpls,
  ...poolingImpls,
  ...normalizationImpls,
  ...recurrentImpls,
  ...attentionImpls,
  ...generativeImpls,
  ...blockImpls,
} satisfies LayerImpls;
