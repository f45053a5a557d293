import type { ResolvedModel, ResolvedNode, ResolvedParam } from '@netspec/spec';
import type { ApplyContext, LayerImpl, WeightPolicy } from '../layers/kind.js';
import { LAYER_IMPLS } from '../layers/registry.js';
import { deriveSeed } from '../random.js';
import { tf } from '../tf.js';
import { applyConstraint } from './constraints.js';
import { regularization } from './regularizers.js';

/** Options of one forward pass. */
export interface ApplyOptions {
  /** Training mode: dropout and noise are active, batchNorm uses and updates batch statistics. */
  training?: boolean;
  /** Tensor names to compute (input ids, layer ids, `id:n`); default: the spec's outputs. */
  outputs?: string[];
  /** Seed of this pass's randomness (dropout, noise, sampling). */
  seed?: number;
}

export interface ForwardResult {
  /** The requested tensors by name. */
  outputs: Record<string, tf.Tensor>;
  /** Keras's activity regularization of the layers that ran (a scalar; 0 when none). */
  activityLoss: tf.Scalar;
}

/** A weight of the model: its variable and how it is initialized, penalized and constrained. */
export interface ModelWeight {
  param: ResolvedParam;
  variable: tf.Variable;
  policy: WeightPolicy;
}

/** Where each tensor name comes from: a graph input, or output `index` of a node. */
type Source = { node: ResolvedNode; index: number } | { input: string };

/**
 * A resolved spec running on tfjs: one tf.Variable per weight, named by its spec path, and a
 * forward pass that walks the resolved graph. Any tensor of the graph can be fed or fetched, so
 * recipes can run parts of one graph (a GAN's generator, a VAE's decoder).
 */
export class NetspecModel {
  readonly weights: ReadonlyMap<string, ModelWeight>;
  private readonly sources = new Map<string, Source>();

  constructor(
    readonly resolved: ResolvedModel,
    weights: Map<string, ModelWeight>,
  ) {
    this.weights = weights;
    for (const input of resolved.inputs) this.sources.set(input.name, { input: input.name });
    for (const node of resolved.nodes)
      node.outputs.forEach((t, index) => {
        this.sources.set(t.name, { node, index });
      });
  }

  /** Names of the spec's inputs and outputs, in order. */
  get inputNames(): string[] {
    return this.resolved.inputs.map((t) => t.name);
  }
  get outputNames(): string[] {
    return this.resolved.outputs.map((t) => t.name);
  }

  /** Variables the optimizer updates. */
  trainableVariables(): tf.Variable[] {
    return [...this.weights.values()].filter((w) => w.param.trainable).map((w) => w.variable);
  }

  /** Runs the graph from `feeds` (tensor name -> value) to the requested tensors. */
  forward(feeds: Record<string, tf.Tensor>, options: ApplyOptions = {}): ForwardResult {
    const wanted = options.outputs ?? this.outputNames;
    const values = new Map<string, tf.Tensor>(Object.entries(feeds));
    const nodes = this.nodesFor(wanted, values);
    const seed = options.seed ?? 0;
    const activity: tf.Scalar[] = [];
    for (const node of nodes) {
      const ctx = this.context(node, values, options.training ?? false, seed);
      const inputs = node.inputs.map((t) => this.value(values, t.name, node));
      const outs = applyLayer(node.layer, inputs, ctx);
      if (outs.length !== node.outputs.length)
        throw new Error(
          `${node.path}: expected ${node.outputs.length} outputs, got ${outs.length}`,
        );
      node.outputs.forEach((t, i) => {
        values.set(t.name, outs[i] as tf.Tensor);
      });
      const reg = (node.layer as { activityRegularizer?: object }).activityRegularizer;
      // Keras divides a layer's activity penalty by the batch size.
      if (reg) for (const o of outs) activity.push(tf.div(regularization(o, reg), o.shape[0] ?? 1));
    }
    const outputs: Record<string, tf.Tensor> = {};
    for (const name of wanted) outputs[name] = this.value(values, name);
    const activityLoss = activity.length ? (tf.addN(activity) as tf.Scalar) : tf.scalar(0);
    return { outputs, activityLoss };
  }

  /** The spec's outputs for `inputs` (inference mode), in the spec's output order. */
  predict(inputs: tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>): tf.Tensor[] {
    return tf.tidy(() => {
      const { outputs } = this.forward(this.feeds(inputs));
      return this.outputNames.map((n) => outputs[n] as tf.Tensor);
    });
  }

  /** Positional or named inputs as feeds keyed by input name. */
  feeds(inputs: tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>): Record<string, tf.Tensor> {
    if (inputs instanceof tf.Tensor) inputs = [inputs];
    if (!Array.isArray(inputs)) return inputs;
    const names = this.inputNames;
    if (inputs.length !== names.length)
      throw new Error(
        `expected ${names.length} inputs (${names.join(', ')}), got ${inputs.length}`,
      );
    return Object.fromEntries(names.map((n, i) => [n, inputs[i] as tf.Tensor]));
  }

  /** L1/L2 penalties of every weight with a regularizer (a scalar; 0 when none). */
  regularizationLoss(): tf.Scalar {
    const terms = [...this.weights.values()]
      .filter((w) => w.policy.regularizer && w.param.trainable)
      .map((w) => regularization(w.variable, w.policy.regularizer as object));
    return terms.length ? (tf.addN(terms) as tf.Scalar) : tf.scalar(0);
  }

  /** Projects constrained weights back into their sets after an optimizer step. */
  applyConstraints(): void {
    for (const w of this.weights.values()) {
      if (!w.policy.constraint || !w.param.trainable) continue;
      const c = w.policy.constraint;
      w.variable.assign(tf.tidy(() => applyConstraint(w.variable, c)));
    }
  }

  dispose(): void {
    for (const w of this.weights.values()) w.variable.dispose();
  }

  private value(values: Map<string, tf.Tensor>, name: string, node?: ResolvedNode): tf.Tensor {
    const v = values.get(name);
    if (v) return v;
    const where = node ? ` (needed by ${node.path})` : '';
    throw new Error(`no value for tensor "${name}"${where}: feed it or compute it`);
  }

  /** The nodes needed for `wanted`, in graph order, stopping at fed tensors. */
  private nodesFor(wanted: string[], fed: Map<string, tf.Tensor>): ResolvedNode[] {
    const needed = new Set<ResolvedNode>();
    const stack = [...wanted];
    for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
      if (fed.has(name)) continue;
      const source = this.sources.get(name);
      if (!source) throw new Error(`unknown tensor "${name}"`);
      if ('input' in source) throw new Error(`input "${name}" is needed but was not fed`);
      if (needed.has(source.node)) continue;
      needed.add(source.node);
      for (const t of source.node.inputs) stack.push(t.name);
      for (const t of Object.values(source.node.refs)) stack.push(t.name);
    }
    return this.resolved.nodes.filter((n) => needed.has(n));
  }

  private context(
    node: ResolvedNode,
    values: Map<string, tf.Tensor>,
    training: boolean,
    seed: number,
  ): ApplyContext {
    let draws = 0;
    const refs = Object.fromEntries(
      Object.entries(node.refs).map(([field, t]) => [field, this.value(values, t.name, node)]),
    );
    const weightOf = (prefix: string) => (name: string) => {
      // A tied weight (reverseEmbedding) is the owner layer's variable itself.
      const tied = prefix ? undefined : node.tied.find((p) => p.name === name);
      const w = this.weights.get(tied?.path ?? `${node.path}.${prefix}${name}`);
      if (!w) throw new Error(`${node.path}: no weight "${prefix}${name}"`);
      return w;
    };
    const make = (prefix: string): ApplyContext => ({
      training,
      node,
      refs,
      weight: (name) => weightOf(prefix)(name).variable,
      assign: (name, value) => {
        if (training) weightOf(prefix)(name).variable.assign(value);
      },
      nextSeed: () => deriveSeed(seed, node.path, draws++),
      applyInner: (config, inputs, inner) => applyLayer(config, inputs, make(`${prefix}${inner}`)),
    });
    return make('');
  }
}

/** Runs one layer configuration through its implementation. */
export function applyLayer(
  config: { type: string },
  inputs: tf.Tensor[],
  ctx: ApplyContext,
): tf.Tensor[] {
  const impl = (LAYER_IMPLS as unknown as Record<string, LayerImpl<never>>)[config.type];
  if (!impl) throw new Error(`no tfjs implementation of layer type "${config.type}"`);
  const out = impl.apply(config as never, inputs, ctx);
  return Array.isArray(out) ? out : [out];
}
