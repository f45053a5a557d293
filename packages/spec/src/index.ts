export * from './schema/primitives.js';
export * from './schema/activation.js';
export * from './schema/weights.js';
export * from './schema/training.js';
export * from './schema/spec.js';
export * from './layers/kind.js';
export * from './layers/registry.js';
export { countParams, inferLayer } from './layers/infer.js';
export { formatShape } from './layers/shape.js';
