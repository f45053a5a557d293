export { didYouMean } from './errors/did-you-mean.js';
export * from './errors/issue.js';
export { lineColumn, locatePointer, pointerLocator } from './json/locate.js';
export { type JsonOptions, type JsonResult, parseJson } from './json/parse-json.js';
export { SCHEMA_ID, specJsonSchema, specJsonSchemaText } from './json-schema.js';
export { countParams, inferLayer } from './layers/infer.js';
export * from './layers/kind.js';
export * from './layers/registry.js';
export { formatShape } from './layers/shape.js';
export { MIGRATIONS, type Migration, type MigrationResult, migrate } from './migrate.js';
export * from './resolve/decoder-plan.js';
export * from './resolve/model.js';
export {
  resolveSpec,
  type ValidateOptions,
  type ValidationResult,
  validateSpec,
  validateSpecText,
} from './resolve/validate.js';
export { feedProblem, type ModelRunner, type RunnerTensor, type TokenScorer } from './runner.js';
export * from './safetensors.js';
export * from './schema/activation.js';
export * from './schema/primitives.js';
export * from './schema/spec.js';
export * from './schema/training.js';
export * from './schema/weights.js';
export { weightMismatches } from './weights.js';
