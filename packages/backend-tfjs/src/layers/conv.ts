import { convolutionImpls } from './conv/convolution.js';
import { resizeImpls } from './conv/resize.js';

/** The conv family on tfjs: convolutions, then upsampling, padding and cropping. */
export const convImpls = { ...convolutionImpls, ...resizeImpls };
