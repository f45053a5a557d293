/** The generative family (being written). */
export const generativeLayers = {};
