import type { LayerImpl } from './kind.js';

/** Placeholder while a family is being written. */
export const notYet: LayerImpl<never> = {
  apply() {
    throw new Error('not implemented yet');
  },
};
