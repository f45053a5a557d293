import { ExportError } from '../errors.js';
import type { Emitter } from './kind.js';

/** The emitter of a kind whose family is not written yet: a clear error, never a wrong graph. */
export const notYet: Emitter<never> = {
  emit(_config, _inputs, ctx) {
    throw new ExportError(
      `${ctx.node.pointer} (${ctx.node.path}): layer kind "${ctx.node.layer.type}" is not exported yet`,
    );
  },
};
