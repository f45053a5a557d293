/** The attention family (being written). */
export const attentionLayers = {};
