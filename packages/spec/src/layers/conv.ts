/** The conv family (being written). */
export const convLayers = {};
