export {
  type GeneratedToken,
  type GenerateOptions,
  type GenerationResult,
  generate,
  type StopReason,
} from './generate.js';
export { seededRandom } from './rng.js';
export { type RunnerScorerOptions, runnerScorer } from './runner-scorer.js';
export type { SamplingOptions } from './sample.js';
