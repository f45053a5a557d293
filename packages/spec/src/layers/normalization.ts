/** The normalization family (being written). */
export const normalizationLayers = {};
