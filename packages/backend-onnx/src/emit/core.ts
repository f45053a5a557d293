import { int, ints } from '../graph/attributes.js';
import { emitActivation, isLinear } from './activations.js';
import type { Emitter } from './kind.js';

/** ONNX's "to the end" for Slice (INT64_MAX). */
const TO_END = 2n ** 63n - 1n;

/** The one input of a single-input layer. */
const only = (inputs: string[]) => inputs[0] as string;

/** The core family as ONNX nodes. */
export const coreEmitters = {
  dense: {
    // y = activation(x · kernel + bias): Gemm on (B, in), MatMul + Add on higher ranks
    emit(c, inputs, ctx) {
      const x = only(inputs);
      const linear = isLinear(c.activation);
      const out = linear ? ctx.outputName() : undefined;
      const rank = (ctx.node.inputs[0]?.shape.length ?? 0) + 1;
      const kernel = ctx.weight('kernel');
      let z: string;
      if (rank === 2 && c.useBias) z = ctx.op('Gemm', [x, kernel, ctx.weight('bias')], {}, out);
      else if (c.useBias)
        z = ctx.op('Add', [ctx.op('MatMul', [x, kernel]), ctx.weight('bias')], {}, out);
      else z = ctx.op('MatMul', [x, kernel], {}, out);
      return [linear ? z : emitActivation(ctx, z, c.activation, ctx.outputName())];
    },
  } satisfies Emitter<'dense'>,

  activation: {
    emit: (c, inputs, ctx) => [emitActivation(ctx, only(inputs), c.activation, ctx.outputName())],
  } satisfies Emitter<'activation'>,

  prelu: {
    // PRelu's slope broadcasts from the right like alpha (the shape without the batch)
    emit: (_c, inputs, ctx) => [
      ctx.op('PRelu', [only(inputs), ctx.weight('alpha')], {}, ctx.outputName()),
    ],
  } satisfies Emitter<'prelu'>,

  dropout: {
    // The identity at inference: no node at all.
    emit: (_c, inputs) => [only(inputs)],
  } satisfies Emitter<'dropout'>,

  flatten: {
    // (B, prod(rest))
    emit: (_c, inputs, ctx) => [
      ctx.op('Flatten', [only(inputs)], { axis: int(1) }, ctx.outputName()),
    ],
  } satisfies Emitter<'flatten'>,

  reshape: {
    // (B, ...targetShape): 0 copies the batch dimension, -1 is inferred as in the spec
    emit: (c, inputs, ctx) => [
      ctx.op(
        'Reshape',
        [only(inputs), ctx.int64s('shape', [0, ...c.targetShape])],
        {},
        ctx.outputName(),
      ),
    ],
  } satisfies Emitter<'reshape'>,

  permute: {
    // Keras dims are 1-based and leave the batch in place.
    emit: (c, inputs, ctx) => [
      ctx.op('Transpose', [only(inputs)], { perm: ints([0, ...c.dims]) }, ctx.outputName()),
    ],
  } satisfies Emitter<'permute'>,

  repeatVector: {
    // (B, F) -> (B, 1, F) -> (B, n, F)
    emit(c, inputs, ctx) {
      const x = ctx.op('Unsqueeze', [only(inputs), ctx.int64s('axes', [1])]);
      return [ctx.op('Tile', [x, ctx.int64s('repeats', [1, c.n, 1])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'repeatVector'>,

  embedding: {
    // (B, ...) int32 ids -> (B, ..., outputDim); maskZero only informs downstream masks
    emit: (_c, inputs, ctx) => [
      ctx.op(
        'Gather',
        [ctx.weight('embeddings'), only(inputs)],
        { axis: int(0) },
        ctx.outputName(),
      ),
    ],
  } satisfies Emitter<'embedding'>,

  reverseEmbedding: {
    // logits = x · embeddingsᵀ: the embedding's initializer itself, transposed (folded by ORT)
    emit(_c, inputs, ctx) {
      const table = ctx.op('Transpose', [ctx.weight('embeddings')], { perm: ints([1, 0]) });
      return [ctx.op('MatMul', [only(inputs), table], {}, ctx.outputName())];
    },
  } satisfies Emitter<'reverseEmbedding'>,

  slice: {
    // ONNX Slice clamps start and end like Python; squeeze drops the one-element axis
    emit(c, inputs, ctx) {
      const rank = (ctx.node.inputs[0]?.shape.length ?? 0) + 1;
      const axis = c.axis < 0 ? rank + c.axis : c.axis;
      const args = [
        only(inputs),
        ctx.int64s('starts', [c.start]),
        ctx.int64s('ends', [c.end ?? TO_END]),
        ctx.int64s('axes', [axis]),
        ctx.int64s('steps', [c.step]),
      ];
      if (!c.squeeze) return [ctx.op('Slice', args, {}, ctx.outputName())];
      const y = ctx.op('Slice', args);
      return [ctx.op('Squeeze', [y, ctx.int64s('squeeze_axes', [axis])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'slice'>,
};
