import {
  type Limits,
  type ResolvedModel,
  readSafetensors,
  resolveSpec,
  type SafetensorsFile,
  tensorToFloat32,
  weightMismatches,
  writeSafetensors,
} from '@netspec/spec';
import { defaultWeightPolicy, type LayerImpl, type WeightPolicy } from '../layers/kind.js';
import { LAYER_IMPLS } from '../layers/registry.js';
import { deriveSeed } from '../random.js';
import { tf } from '../tf.js';
import { initialValues } from './initializers.js';
import { type ModelWeight, NetspecModel } from './model.js';

export interface BuildOptions {
  /** Weights to load (safetensors bytes or a parsed file); default: fresh initial weights. */
  weights?: Uint8Array | SafetensorsFile;
  /** Seed of the initial weights (default 0): the same seed gives the same weights. */
  seed?: number;
  limits?: Partial<Limits>;
}

/** Weights that do not fit the model: every mismatch, one per line. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  constructor(readonly problems: string[]) {
    super(`the weights do not fit the model:\n  ${problems.join('\n  ')}`);
  }
}

const isResolved = (x: unknown): x is ResolvedModel =>
  typeof x === 'object' && x !== null && 'nodes' in x && 'spec' in x;

/**
 * A spec (raw JSON value or already resolved) as a tfjs model. Throws a SpecError for an invalid
 * spec and a WeightsError for weights that do not fit.
 */
export function buildModel(spec: unknown, options: BuildOptions = {}): NetspecModel {
  const resolved = isResolved(spec) ? spec : resolveSpec(spec, { limits: options.limits ?? {} });
  const file =
    options.weights instanceof Uint8Array ? readSafetensors(options.weights) : options.weights;
  if (file) {
    const problems = weightMismatches(resolved, file);
    if (problems.length) throw new WeightsError(problems);
  }
  const seed = options.seed ?? 0;
  const weights = new Map<string, ModelWeight>();
  for (const node of resolved.nodes) {
    const impl = (LAYER_IMPLS as unknown as Record<string, LayerImpl<never>>)[node.layer.type];
    for (const param of node.params) {
      const policy: WeightPolicy = impl?.weight
        ? impl.weight(node.layer as never, param.name)
        : defaultWeightPolicy(node.layer, param.name);
      const stored = file?.tensors.get(param.path);
      const paramSeed = deriveSeed(seed, param.path);
      const values = stored
        ? tensorToFloat32(stored)
        : (policy.values?.(param.shape, paramSeed) ??
          initialValues(policy.initializer, param.shape, paramSeed));
      // Unnamed: tfjs variable names are global, and two models may share weight paths.
      const initial = tf.tensor(values, param.shape, 'float32');
      const variable = tf.variable(initial, param.trainable);
      initial.dispose();
      weights.set(param.path, { param, variable, policy });
    }
  }
  return new NetspecModel(resolved, weights);
}

/** The model's weights as a safetensors file (F32, named by spec path). */
export function saveWeights(model: NetspecModel, metadata?: Record<string, string>): Uint8Array {
  const tensors = Object.fromEntries(
    [...model.weights].map(([name, w]) => [
      name,
      { dtype: 'F32' as const, shape: w.param.shape, data: w.variable.dataSync() as Float32Array },
    ]),
  );
  return writeSafetensors(tensors, metadata);
}

/** Loads weights into an existing model (all or nothing: checked before anything is assigned). */
export function loadWeights(model: NetspecModel, weights: Uint8Array | SafetensorsFile): void {
  const file = weights instanceof Uint8Array ? readSafetensors(weights) : weights;
  const problems = weightMismatches(model.resolved, file);
  if (problems.length) throw new WeightsError(problems);
  for (const [name, w] of model.weights) {
    const t = file.tensors.get(name);
    if (t) w.variable.assign(tf.tensor(tensorToFloat32(t), w.param.shape, 'float32'));
  }
}
