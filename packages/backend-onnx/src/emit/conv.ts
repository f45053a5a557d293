import { convolutionEmitters } from './conv/convolution.js';
import { resizeEmitters } from './conv/resize.js';

/** The conv family in ONNX: convolutions, then upsampling, padding and cropping. */
export const convEmitters = { ...convolutionEmitters, ...resizeEmitters };
