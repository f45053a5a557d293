/** The pooling family (being written). */
export const poolingLayers = {};
