import type { LayerImpl } from './kind.js';
import { notYet } from './not-yet.js';

/** The conv family on tfjs. */
export const convImpls = {
  conv1d: notYet as LayerImpl<'conv1d'>,
  conv2d: notYet as LayerImpl<'conv2d'>,
  conv1dTranspose: notYet as LayerImpl<'conv1dTranspose'>,
  conv2dTranspose: notYet as LayerImpl<'conv2dTranspose'>,
  depthwiseConv2d: notYet as LayerImpl<'depthwiseConv2d'>,
  separableConv2d: notYet as LayerImpl<'separableConv2d'>,
  upSampling1d: notYet as LayerImpl<'upSampling1d'>,
  upSampling2d: notYet as LayerImpl<'upSampling2d'>,
  zeroPadding1d: notYet as LayerImpl<'zeroPadding1d'>,
  zeroPadding2d: notYet as LayerImpl<'zeroPadding2d'>,
  cropping1d: notYet as LayerImpl<'cropping1d'>,
  cropping2d: notYet as LayerImpl<'cropping2d'>,
};
