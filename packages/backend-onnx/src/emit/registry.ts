import { attentionEmitters } from './attention.js';
import { blockEmitters } from './block.js';
import { convEmitters } from './conv.js';
import { coreEmitters } from './core.js';
import { generativeEmitters } from './generative.js';
import type { Emitters } from './kind.js';
import { mergeEmitters } from './merge.js';
import { normalizationEmitters } from './normalization.js';
import { poolingEmitters } from './pooling.js';
import { recurrentEmitters } from './recurrent.js';

/** How the exporter writes every layer kind of the spec; a kind missing here is a compile error. */
export const EMITTERS = {
  ...coreEmitters,
  ...mergeEmitters,
  ...convEmitters,
  ...poolingEmitters,
  ...normalizationEmitters,
  ...recurrentEmitters,
  ...attentionEmitters,
  ...generativeEmitters,
  ...blockEmitters,
} satisfies Emitters;
