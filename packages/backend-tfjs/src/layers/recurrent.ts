import { bidirectional } from './recurrent/bidirectional.js';
import { cellImpls } from './recurrent/cells.js';

/** The recurrent family on tfjs (the cells in recurrent/cells.ts, the time loop in loop.ts). */
export const recurrentImpls = {
  simpleRnn: cellImpls.simpleRnn,
  lstm: cellImpls.lstm,
  gru: cellImpls.gru,
  bidirectional,
};
