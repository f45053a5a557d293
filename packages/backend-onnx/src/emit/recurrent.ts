import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The recurrent family in ONNX. */
export const recurrentEmitters = {
  simpleRnn: notYet as Emitter<'simpleRnn'>,
  lstm: notYet as Emitter<'lstm'>,
  gru: notYet as Emitter<'gru'>,
  bidirectional: notYet as Emitter<'bidirectional'>,
};
