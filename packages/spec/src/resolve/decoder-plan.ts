import type { LayerType } from '../layers/registry.js';
import type { ResolvedModel, ResolvedNode, Tensor } from './model.js';

// What a model must look like to be decoded one step at a time (a KV cache in tfjs, the
// decoder-with-past ONNX export, the CLI's language-model data): token ids in, per-position
// logits out, and between them only layers that either work on each position alone or that the
// backends continue from a KV cache (position tables offset by the past length, causal decoders
// attending to held keys and values). One list here, so the backends cannot disagree.

/** Kinds that treat every position on its own: the new positions need no past. */
const POSITIONWISE: ReadonlySet<LayerType> = new Set<LayerType>([
  'dense',
  'activation',
  'dropout',
  'layerNorm',
  'rmsNorm',
  'embedding',
  'reverseEmbedding',
  'add',
]);

/** Kinds that see the sequence axis and continue from the cache. */
export const CACHED_KINDS = [
  'tokenAndPositionEmbedding',
  'positionEmbedding',
  'sinusoidalPositionEncoding',
  'transformerDecoder',
] as const satisfies readonly LayerType[];

/** A causal language model's shape as step-by-step decoding sees it. */
export interface DecoderPlan {
  /** The int32 token-id input (shape [T]). */
  input: Tensor;
  /** The logits output (shape [T, vocabulary]). */
  output: Tensor;
  vocabularySize: number;
  /** The most positions the model sees: its smallest position table (or a fixed input length). */
  contextLength: number;
  /** The transformerDecoder nodes in order: decoder i holds cache entry i. */
  decoders: ResolvedNode[];
}

/** Thrown when a model cannot be decoded step by step; the message names the layer and why. */
export class DecoderPlanError extends Error {
  override readonly name = 'DecoderPlanError';
}

const fail = (message: string): never => {
  throw new DecoderPlanError(message);
};

function checkNode(node: ResolvedNode): void {
  const type = node.layer.type;
  const where = `layer ${node.pointer} ("${node.path}", ${type})`;
  if (type === 'transformerDecoder') {
    if (node.inputs.length > 1)
      fail(
        `${where}: expected a decoder without cross-attention (one input), got ${node.inputs.length}`,
      );
    if (Object.keys(node.refs).length)
      fail(`${where}: expected no paddingMask; step-by-step decoding holds every position`);
    return;
  }
  // Axis 1 (or its negative twin) is time: a norm or softmax over it mixes positions.
  const rank = (node.inputs[0]?.shape.length ?? 0) + 1;
  const layer = node.layer as { axis?: number | number[]; activation?: { axis?: number } };
  const activationAxis = typeof layer.activation === 'object' ? layer.activation.axis : undefined;
  const axes = [layer.axis ?? [], activationAxis ?? []].flat();
  if (axes.some((a) => a === 1 || a === 1 - rank))
    fail(`${where}: axis ${axes.join(', ')} runs over the sequence; expected feature axes only`);
  if (!POSITIONWISE.has(type) && !(CACHED_KINDS as readonly string[]).includes(type)) {
    const allowed = [...POSITIONWISE, ...CACHED_KINDS].join(', ');
    fail(
      `${where}: cannot be decoded step by step; expected only layers of kinds ${allowed} between the token ids and the logits`,
    );
  }
}

/** The plan of a resolved model, or a DecoderPlanError saying what does not fit. */
export function decoderPlan(model: ResolvedModel): DecoderPlan {
  const [input, ...moreInputs] = model.inputs;
  if (!input || moreInputs.length || input.dtype !== 'int32' || input.shape.length !== 1)
    fail(
      `model inputs: expected one int32 token-id input of shape [T], got ${model.inputs.map((t) => `${t.name} ${t.dtype} [${t.shape.join(', ')}]`).join('; ')}`,
    );
  const [output, ...moreOutputs] = model.outputs;
  const vocabulary = output?.shape[1];
  if (!output || moreOutputs.length || output.shape.length !== 2 || typeof vocabulary !== 'number')
    fail(
      `model outputs: expected one logits output of shape [T, vocabulary], got ${model.outputs.map((t) => `${t.name} [${t.shape.join(', ')}]`).join('; ')}`,
    );
  for (const node of model.nodes) checkNode(node);
  const decoders = model.nodes.filter((n) => n.layer.type === 'transformerDecoder');
  const tables = model.nodes
    .map((n) => (n.layer as { sequenceLength?: number }).sequenceLength)
    .filter((n): n is number => typeof n === 'number');
  const fixed = (input as Tensor).shape[0];
  if (typeof fixed === 'number') tables.push(fixed);
  return {
    input: input as Tensor,
    output: output as Tensor,
    vocabularySize: vocabulary as number,
    contextLength: tables.length ? Math.min(...tables) : Number.POSITIVE_INFINITY,
    decoders,
  };
}
