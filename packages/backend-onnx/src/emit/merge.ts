import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The merge family in ONNX. */
export const mergeEmitters = {
  add: notYet as Emitter<'add'>,
  subtract: notYet as Emitter<'subtract'>,
  multiply: notYet as Emitter<'multiply'>,
  average: notYet as Emitter<'average'>,
  maximum: notYet as Emitter<'maximum'>,
  minimum: notYet as Emitter<'minimum'>,
  concatenate: notYet as Emitter<'concatenate'>,
  dot: notYet as Emitter<'dot'>,
};
