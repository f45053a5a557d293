// Parity on a failure (DESIGN.md): expose every layer's output and name the first that diverges.
import {
  type ResolvedModel,
  type RunnerTensor,
  resolveSpec,
  type SafetensorsFile,
} from '@netspec/spec';
import { exportOnnx } from '../export.js';
import { createSession, type OnnxEngine } from '../session/create.js';
import { CPU_TOLERANCE, type TensorError, tensorError, withinTolerance } from './compare.js';

/**
 * The reference engine's values of the named tensors (spec tensor names) for `inputs`; for tfjs,
 * `model.forward(feeds, { outputs: names })`. A function, so this package needs no tfjs.
 */
export type LayerOutputs = (
  inputs: Record<string, RunnerTensor>,
  names: string[],
) => Promise<Record<string, RunnerTensor>>;

export interface DivergenceOptions {
  /** The reference values of every layer output. */
  reference: LayerOutputs;
  /** Relative bar (default CPU_TOLERANCE). */
  tolerance?: number;
  /** Export opset (default: exportOnnx's). */
  opset?: number;
}

/** The first node whose output is off, and by how much. */
export interface LayerDivergence extends TensorError {
  /** The node's path (`conv1`, `enc.2.attn`). */
  node: string;
  type: string;
  /** The spec tensor that diverged (`id` or `id:n`). */
  tensor: string;
}

const isResolved = (x: unknown): x is ResolvedModel =>
  typeof x === 'object' && x !== null && Array.isArray((x as ResolvedModel).nodes);

/** One line for a failure message. */
export const describeDivergence = (d: LayerDivergence | undefined): string =>
  d
    ? `first divergent layer: ${d.node} (${d.type}), tensor ${d.tensor}: maxAbs ${d.maxAbs}, maxRel ${d.maxRel}${d.note ? ` (${d.note})` : ''}`
    : 'no layer output diverges';

/**
 * Exports the model with every layer output exposed, runs it on `engine` and the reference, and
 * returns the first node in graph order whose output exceeds the tolerance (undefined: none).
 */
export async function firstDivergence(
  spec: unknown,
  weights: SafetensorsFile | Uint8Array,
  inputs: Record<string, RunnerTensor>,
  engine: OnnxEngine,
  options: DivergenceOptions,
): Promise<LayerDivergence | undefined> {
  const tolerance = options.tolerance ?? CPU_TOLERANCE;
  const model = isResolved(spec) ? spec : resolveSpec(spec);
  const bytes = exportOnnx(model, weights, {
    exposeAll: true,
    ...(options.opset === undefined ? {} : { opset: options.opset }),
  });
  const names = model.nodes.flatMap((n) => n.outputs.map((t) => t.name));
  const expected = await options.reference(inputs, names);
  const runner = await createSession(bytes, { engine });
  let actual: Record<string, RunnerTensor>;
  try {
    actual = await runner.run(inputs);
  } finally {
    await runner.dispose();
  }
  for (const node of model.nodes) {
    for (const t of node.outputs) {
      const want = expected[t.name];
      if (!want) throw new Error(`the reference gave no value for "${t.name}"`);
      const error = tensorError(actual[t.name], want);
      if (!withinTolerance(error, tolerance)) {
        return { node: node.path, type: node.layer.type, tensor: t.name, ...error };
      }
    }
  }
  return undefined;
}
