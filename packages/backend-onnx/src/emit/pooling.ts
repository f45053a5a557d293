import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The pooling family in ONNX. */
export const poolingEmitters = {
  maxPool1d: notYet as Emitter<'maxPool1d'>,
  maxPool2d: notYet as Emitter<'maxPool2d'>,
  avgPool1d: notYet as Emitter<'avgPool1d'>,
  avgPool2d: notYet as Emitter<'avgPool2d'>,
  globalMaxPool1d: notYet as Emitter<'globalMaxPool1d'>,
  globalMaxPool2d: notYet as Emitter<'globalMaxPool2d'>,
  globalAvgPool1d: notYet as Emitter<'globalAvgPool1d'>,
  globalAvgPool2d: notYet as Emitter<'globalAvgPool2d'>,
};
