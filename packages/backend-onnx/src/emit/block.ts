import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The block family in ONNX. */
export const blockEmitters = {
  block: notYet as Emitter<'block'>,
  timeDistributed: notYet as Emitter<'timeDistributed'>,
};
