import { int } from '../graph/attributes.js';
import type { EmitContext, Emitter } from './kind.js';
// A cycle (the registry lists these emitters); EMITTERS is read only when a layer is emitted.
import { EMITTERS } from './registry.js';

/** ONNX's "to the end" for Slice (INT64_MAX). */
const TO_END = 2n ** 63n - 1n;

/** The wrapped kind's emitter (any kind: the spec allows single-input kinds only). */
interface AnyEmitter {
  emit(c: unknown, inputs: string[], ctx: EmitContext): string[];
}
const emitterOf = (type: string): AnyEmitter =>
  (EMITTERS as unknown as Record<string, AnyEmitter>)[type] as AnyEmitter;

/** The block family in ONNX. */
export const blockEmitters = {
  block: {
    emit(): string[] {
      throw new Error(
        'internal error: a block layer reached the ONNX exporter; the resolver expands blocks into their layers',
      );
    },
  } satisfies Emitter<'block'>,

  timeDistributed: {
    // Keras's TimeDistributed: (B, T, ...) -> (B·T, ...), the wrapped kind once with the
    // layer's own weights, then (B·T, ...) -> (B, T, ...) per output.
    emit(c, inputs, ctx): string[] {
      const x = inputs[0] as string;
      const node = ctx.node;
      const shape = ctx.op('Shape', [x]);
      const slice = (of: string, start: number, end: number | bigint) =>
        ctx.op('Slice', [
          of,
          ctx.int64s('starts', [start]),
          ctx.int64s('ends', [end]),
          ctx.int64s('axes', [0]),
        ]);
      const mergedShape = ctx.op('Concat', [ctx.int64s('merged', [-1]), slice(shape, 2, TO_END)], {
        axis: int(0),
      });
      const merged = ctx.op('Reshape', [x, mergedShape]);
      const batchSteps = slice(shape, 0, 2);
      // The inner layer sees its per-step tensors, and writes intermediate names.
      const innerNode = {
        ...node,
        layer: c.layer,
        inputs: node.inputs.map((t) => ({ ...t, shape: t.shape.slice(1) })),
        outputs: node.outputs.map((t) => ({ ...t, shape: t.shape.slice(1) })),
      } as typeof node;
      const names = node.outputs.map(() => ctx.graph.fresh(`${node.path}/inner`));
      const inner: EmitContext = {
        ...ctx,
        node: innerNode,
        outputName: (index = 0) => names[index] as string,
      };
      const outs: string[] = emitterOf((c.layer as { type: string }).type).emit(
        c.layer,
        [merged],
        inner,
      );
      return outs.map((y, i) => {
        const back = ctx.op('Concat', [batchSteps, slice(ctx.op('Shape', [y]), 1, TO_END)], {
          axis: int(0),
        });
        return ctx.op('Reshape', [y, back], {}, ctx.outputName(i));
      });
    },
  } satisfies Emitter<'timeDistributed'>,
};
