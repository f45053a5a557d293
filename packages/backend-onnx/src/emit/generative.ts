import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The generative family in ONNX. */
export const generativeEmitters = {
  sampling: notYet as Emitter<'sampling'>,
  gaussianNoise: notYet as Emitter<'gaussianNoise'>,
};
