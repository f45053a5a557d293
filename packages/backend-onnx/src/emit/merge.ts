import { int, string } from '../graph/attributes.js';
import type { EmitContext, Emitter } from './kind.js';

/** The rank of input `i` of the layer, batch included. */
const rankOf = (ctx: EmitContext, i: number) => (ctx.node.inputs[i]?.shape.length ?? 0) + 1;

/** A Keras axis (negatives count from the end of the full rank) as a tensor axis. */
const axisOf = (axis: number, rank: number) => (axis < 0 ? rank + axis : axis);

/**
 * Inputs of lower rank get size-1 axes right after the batch, as Keras's merges insert them
 * (ONNX broadcasting then aligns the batch axes and the last axes, as tfjs does).
 */
function aligned(inputs: string[], ctx: EmitContext): string[] {
  const ranks = inputs.map((_, i) => rankOf(ctx, i));
  const rank = Math.max(...ranks);
  return inputs.map((x, i) => {
    const missing = rank - (ranks[i] as number);
    if (missing === 0) return x;
    const axes = Array.from({ length: missing }, (_, k) => k + 1);
    return ctx.op('Unsqueeze', [x, ctx.int64s('axes', axes)]);
  });
}

/** Folds the inputs left to right with a binary op, the last node writing the output. */
function fold(op: string, inputs: string[], ctx: EmitContext, output?: string): string {
  const xs = aligned(inputs, ctx);
  let acc = xs[0] as string;
  for (let i = 1; i < xs.length; i++) {
    acc = ctx.op(op, [acc, xs[i] as string], {}, i === xs.length - 1 ? output : undefined);
  }
  return acc;
}

/** A variadic op (Max, Min) over the aligned inputs. */
const variadic = (op: string, inputs: string[], ctx: EmitContext, output?: string) =>
  ctx.op(op, aligned(inputs, ctx), {}, output);

/** Einsum letters for the axes of x (after the batch `a`) and y. */
const LETTERS = 'bcdefghijklmnopqrstuvwxyz';

/** Keras's l2 normalization along `axis`: x / sqrt(max(sum x², 1e-14)). */
function l2Normalize(ctx: EmitContext, x: string, axis: number): string {
  const squares = ctx.op('ReduceSum', [ctx.op('Mul', [x, x]), ctx.int64s('axes', [axis])], {
    keepdims: int(1),
  });
  const norm = ctx.op('Sqrt', [ctx.op('Max', [squares, ctx.scalar('eps', 1e-14)])]);
  return ctx.op('Div', [x, norm]);
}

/** The merge family in ONNX. */
export const mergeEmitters = {
  add: {
    // Chained Add, not Sum: onnxruntime-web has no WebGPU Sum kernel (it would fall to the CPU).
    emit: (_c, inputs, ctx) => [fold('Add', inputs, ctx, ctx.outputName())],
  } satisfies Emitter<'add'>,
  subtract: {
    emit: (_c, inputs, ctx) => [fold('Sub', inputs, ctx, ctx.outputName())],
  } satisfies Emitter<'subtract'>,
  multiply: {
    emit: (_c, inputs, ctx) => [fold('Mul', inputs, ctx, ctx.outputName())],
  } satisfies Emitter<'multiply'>,
  average: {
    // Keras sums then divides by the count.
    emit: (_c, inputs, ctx) => [
      ctx.op(
        'Div',
        [fold('Add', inputs, ctx), ctx.scalar('count', inputs.length)],
        {},
        ctx.outputName(),
      ),
    ],
  } satisfies Emitter<'average'>,
  maximum: {
    emit: (_c, inputs, ctx) => [variadic('Max', inputs, ctx, ctx.outputName())],
  } satisfies Emitter<'maximum'>,
  minimum: {
    emit: (_c, inputs, ctx) => [variadic('Min', inputs, ctx, ctx.outputName())],
  } satisfies Emitter<'minimum'>,

  concatenate: {
    emit: (c, inputs, ctx) => [
      ctx.op('Concat', inputs, { axis: int(axisOf(c.axis, rankOf(ctx, 0))) }, ctx.outputName()),
    ],
  } satisfies Emitter<'concatenate'>,

  dot: {
    // Keras batch_dot as one Einsum: x's other axes then y's, or (B, 1) when nothing is left.
    emit(c, inputs, ctx) {
      let [x, y] = inputs as [string, string];
      const [a, b] = typeof c.axes === 'number' ? [c.axes, c.axes] : c.axes;
      const [rx, ry] = [rankOf(ctx, 0), rankOf(ctx, 1)];
      const ax = axisOf(a, rx);
      const ay = axisOf(b, ry);
      if (c.normalize) {
        x = l2Normalize(ctx, x, ax);
        y = l2Normalize(ctx, y, ay);
      }
      // batch 'a', contracted 'z', x's other axes then y's from LETTERS
      let next = 0;
      const fresh = () => LETTERS[next++] as string;
      const xs = Array.from({ length: rx }, (_, k) => (k === 0 ? 'a' : k === ax ? 'z' : fresh()));
      const ys = Array.from({ length: ry }, (_, k) => (k === 0 ? 'a' : k === ay ? 'z' : fresh()));
      const rest = [...xs, ...ys].filter((l) => l !== 'a' && l !== 'z');
      const equation = `${xs.join('')},${ys.join('')}->a${rest.join('')}`;
      const attrs = { equation: string(equation) };
      if (rest.length) return [ctx.op('Einsum', [x, y], attrs, ctx.outputName())];
      const z = ctx.op('Einsum', [x, y], attrs);
      return [ctx.op('Unsqueeze', [z, ctx.int64s('axes', [1])], {}, ctx.outputName())];
    },
  } satisfies Emitter<'dot'>,
};
