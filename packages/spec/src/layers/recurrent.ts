/** The recurrent family (being written). */
export const recurrentLayers = {};
