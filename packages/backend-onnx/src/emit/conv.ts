import type { Emitter } from './kind.js';
import { notYet } from './not-yet.js';

/** The conv family in ONNX. */
export const convEmitters = {
  conv1d: notYet as Emitter<'conv1d'>,
  conv2d: notYet as Emitter<'conv2d'>,
  conv1dTranspose: notYet as Emitter<'conv1dTranspose'>,
  conv2dTranspose: notYet as Emitter<'conv2dTranspose'>,
  depthwiseConv2d: notYet as Emitter<'depthwiseConv2d'>,
  separableConv2d: notYet as Emitter<'separableConv2d'>,
  upSampling1d: notYet as Emitter<'upSampling1d'>,
  upSampling2d: notYet as Emitter<'upSampling2d'>,
  zeroPadding1d: notYet as Emitter<'zeroPadding1d'>,
  zeroPadding2d: notYet as Emitter<'zeroPadding2d'>,
  cropping1d: notYet as Emitter<'cropping1d'>,
  cropping2d: notYet as Emitter<'cropping2d'>,
};
