import { coreEmitters } from './core.js';
import type { Emitters } from './kind.js';
import { notYetEmitters } from './not-yet.js';

/** How the exporter writes every layer kind of the spec; a kind missing here is a compile error. */
export const EMITTERS = {
  ...coreEmitters,
  ...notYetEmitters,
} satisfies Emitters;
