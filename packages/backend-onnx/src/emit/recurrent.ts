import type { Activation } from '@netspec/spec';
import { ExportError } from '../errors.js';
import { type Attr, floats, int, ints, string, strings } from '../graph/attributes.js';
import type { ConfigOf, EmitContext, Emitter } from './kind.js';

/** ONNX's "to the end" for a reversing Slice (INT64_MIN). */
const TO_START = -(2n ** 63n);

type CellType = 'simpleRnn' | 'lstm' | 'gru';
type CellConfig = ConfigOf<'simpleRnn'> | ConfigOf<'lstm'> | ConfigOf<'gru'>;

/** How one Keras cell becomes one ONNX op. */
interface CellOp {
  op: 'RNN' | 'LSTM' | 'GRU';
  /** For each ONNX gate, in ONNX's order, the Keras gate it is. */
  gates: number[];
  /** The op's outputs: Y, Y_h (and Y_c). */
  outputs: number;
}

const CELLS: Record<CellType, CellOp> = {
  simpleRnn: { op: 'RNN', gates: [0], outputs: 2 },
  // Keras i, f, c, o -> ONNX i, o, f, c
  lstm: { op: 'LSTM', gates: [0, 3, 1, 2], outputs: 3 },
  // Keras z, r, h -> ONNX z, r, h
  gru: { op: 'GRU', gates: [0, 1, 2], outputs: 2 },
};

/** An activation as the RNN ops name it, with its alpha and beta where it takes them. */
interface OnnxActivation {
  name: string;
  alpha?: number;
  beta?: number;
}

/** Keras activations the ONNX RNN ops can express; others are an ExportError. */
function onnxActivation(activation: Activation, ctx: EmitContext): OnnxActivation {
  const a = typeof activation === 'string' ? { type: activation } : activation;
  switch (a.type) {
    case 'tanh':
      return { name: 'Tanh' };
    case 'sigmoid':
      return { name: 'Sigmoid' };
    case 'relu':
      return { name: 'Relu' };
    // Keras 3: relu6(x + 3) / 6 = max(0, min(1, x/6 + 1/2))
    case 'hardSigmoid':
      return { name: 'HardSigmoid', alpha: 1 / 6, beta: 0.5 };
    case 'softsign':
      return { name: 'Softsign' };
    case 'softplus':
      return { name: 'Softplus' };
    default:
      throw new ExportError(
        `${ctx.node.pointer} (${ctx.node.path}): activation "${a.type}" of a recurrent layer has no ` +
          'ONNX RNN/LSTM/GRU equivalent (tanh, sigmoid, relu, hardSigmoid, softsign, softplus)',
      );
  }
}

/** ONNX's default activations of each op, which need no attribute. */
const DEFAULTS: Record<CellOp['op'], string[]> = {
  RNN: ['Tanh'],
  LSTM: ['Sigmoid', 'Tanh', 'Tanh'],
  GRU: ['Sigmoid', 'Tanh'],
};

/** Alphas and betas, consumed in order by the activations that take them. */
function activationParams(acts: OnnxActivation[]): Record<string, Attr> {
  const alphas = acts.flatMap((a) => (a.alpha === undefined ? [] : [a.alpha]));
  const betas = acts.flatMap((a) => (a.beta === undefined ? [] : [a.beta]));
  return {
    ...(alphas.length ? { activation_alpha: floats(alphas) } : {}),
    ...(betas.length ? { activation_beta: floats(betas) } : {}),
  };
}

/** Keras's kernel (rows, G·U) as ONNX's (G·U, rows) with the gates in ONNX's order. */
function gateMajor(data: Float32Array, rows: number, units: number, gates: number[]): Float32Array {
  const width = gates.length * units;
  const out = new Float32Array(width * rows);
  gates.forEach((k, g) => {
    for (let u = 0; u < units; u++) {
      for (let r = 0; r < rows; r++) {
        out[(g * units + u) * rows + r] = data[r * width + k * units + u] as number;
      }
    }
  });
  return out;
}

/** A (G·U) bias with its gates in ONNX's order. */
function gateBias(data: Float32Array, units: number, gates: number[]): Float32Array {
  const out = new Float32Array(gates.length * units);
  gates.forEach((k, g) => {
    out.set(data.subarray(k * units, (k + 1) * units), g * units);
  });
  return out;
}

/** W, R and B of one direction: Keras weights named `<prefix>kernel` etc. */
function directionWeights(
  ctx: EmitContext,
  type: CellType,
  c: CellConfig,
  prefix: string,
): { w: Float32Array; r: Float32Array; b?: Float32Array } {
  const { gates } = CELLS[type];
  const units = c.units;
  const width = gates.length * units;
  const kernel = ctx.weightData(`${prefix}kernel`);
  const features = kernel.length / width;
  const w = gateMajor(kernel, features, units, gates);
  const r = gateMajor(ctx.weightData(`${prefix}recurrent_kernel`), units, units, gates);
  if (!c.useBias) return { w, r };
  const bias = ctx.weightData(`${prefix}bias`);
  const b = new Float32Array(2 * width);
  if (type === 'gru' && (c as ConfigOf<'gru'>).resetAfter) {
    // rows: input bias (Wb), recurrent bias (Rb)
    b.set(gateBias(bias.subarray(0, width), units, gates), 0);
    b.set(gateBias(bias.subarray(width), units, gates), width);
  } else {
    b.set(gateBias(bias, units, gates), 0); // Rb stays zero
  }
  return { w, r, b };
}

/** Concatenates the per-direction arrays. */
function stack(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The op's outputs: Y (T, D, B, U), Y_h (D, B, U), and Y_c for LSTM. */
interface RunOutputs {
  y: string;
  yh: string;
  yc?: string;
}

/**
 * Runs one ONNX RNN/LSTM/GRU over x (B, T, F): batch-first to ONNX's seq-first by Transpose
 * (onnxruntime's CPU kernels refuse layout = 1). `bidirectional` runs the backward direction too,
 * with weights under `forward.` and `backward.`. goBackwards reverses the sequence first: Keras
 * processes it reversed and keeps outputs in processing order.
 */
function runCell(
  ctx: EmitContext,
  type: CellType,
  c: CellConfig,
  x: string,
  bidirectional: boolean,
): RunOutputs {
  const cell = CELLS[type];
  const prefixes = bidirectional ? ['forward.', 'backward.'] : [''];
  const dirs = prefixes.map((p) => directionWeights(ctx, type, c, p));
  const units = c.units;
  const width = cell.gates.length * units;
  const features = (dirs[0]?.w.length ?? 0) / width;
  const d = prefixes.length;
  const path = ctx.node.path;
  const init = (base: string, data: Float32Array, dims: number[]) =>
    ctx.graph.initializer(`${path}/${base}`, data, dims);
  const w = init('W', stack(dirs.map((p) => p.w)), [d, width, features]);
  const r = init('R', stack(dirs.map((p) => p.r)), [d, width, units]);
  const b = c.useBias
    ? [init('B', stack(dirs.map((p) => p.b as Float32Array)), [d, 2 * width])]
    : [];
  let seq = x;
  if (c.goBackwards) {
    seq = ctx.op('Slice', [
      x,
      ctx.int64s('starts', [-1]),
      ctx.int64s('ends', [TO_START]),
      ctx.int64s('axes', [1]),
      ctx.int64s('steps', [-1]),
    ]);
  }
  const timeMajor = ctx.op('Transpose', [seq], { perm: ints([1, 0, 2]) }); // (T, B, F)
  const recurrentActivation =
    type === 'simpleRnn' ? undefined : (c as ConfigOf<'lstm' | 'gru'>).recurrentActivation;
  const act = onnxActivation(c.activation, ctx);
  const acts =
    type === 'simpleRnn'
      ? [act]
      : type === 'lstm'
        ? [onnxActivation(recurrentActivation as Activation, ctx), act, act]
        : [onnxActivation(recurrentActivation as Activation, ctx), act];
  const all = Array.from({ length: d }, () => acts).flat();
  const attrs: Record<string, Attr> = {
    hidden_size: int(units),
    direction: string(bidirectional ? 'bidirectional' : 'forward'),
    ...activationParams(all),
    ...(type === 'gru'
      ? { linear_before_reset: int((c as ConfigOf<'gru'>).resetAfter ? 1 : 0) }
      : {}),
    // ONNX's defaults (sigmoid, tanh, ...) need no attribute.
    ...(acts.map((a) => a.name).join() !== DEFAULTS[cell.op].join()
      ? { activations: strings(all.map((a) => a.name)) }
      : {}),
  };
  const outs = ctx.graph.node(cell.op, [timeMajor, w, r, ...b], attrs, {
    outputs: cell.outputs,
    base: `${path}/${cell.op}`,
  });
  const [y, yh, yc] = outs as [string, string, string | undefined];
  return { y, yh, ...(yc === undefined ? {} : { yc }) };
}

/** Y (T, D, B, U) as (B, T, D·U): one direction's sequence, or both concatenated. */
function sequenceOut(ctx: EmitContext, y: string, output?: string): string {
  const batchFirst = ctx.op('Transpose', [y], { perm: ints([2, 0, 1, 3]) });
  return ctx.op('Reshape', [batchFirst, ctx.int64s('shape', [0, 0, -1])], {}, output);
}

/** Y_h (D, B, U) as (B, D·U). */
function lastOut(ctx: EmitContext, yh: string, output?: string): string {
  const batchFirst = ctx.op('Transpose', [yh], { perm: ints([1, 0, 2]) });
  return ctx.op('Reshape', [batchFirst, ctx.int64s('shape', [0, -1])], {}, output);
}

/** Direction `d` of a state (D, B, U): (B, U). */
const stateOf = (ctx: EmitContext, state: string, d: number, output?: string) =>
  ctx.op(
    'Gather',
    [state, ctx.graph.int64s(`${ctx.node.path}/direction`, [d], [])],
    { axis: int(0) },
    output,
  );

/** A unidirectional recurrent layer: its output, then its final states when returnState. */
function emitCell(type: CellType) {
  return (c: CellConfig, inputs: string[], ctx: EmitContext): string[] => {
    const run = runCell(ctx, type, c, inputs[0] as string, false);
    const out = c.returnSequences
      ? sequenceOut(ctx, run.y, ctx.outputName(0))
      : lastOut(ctx, run.yh, ctx.outputName(0));
    if (!c.returnState) return [out];
    const states = run.yc === undefined ? [run.yh] : [run.yh, run.yc];
    return [out, ...states.map((s, i) => stateOf(ctx, s, 0, ctx.outputName(i + 1)))];
  };
}

/** The recurrent family in ONNX. */
export const recurrentEmitters = {
  simpleRnn: { emit: emitCell('simpleRnn') } satisfies Emitter<'simpleRnn'>,
  lstm: { emit: emitCell('lstm') } satisfies Emitter<'lstm'>,
  gru: { emit: emitCell('gru') } satisfies Emitter<'gru'>,
  bidirectional: {
    // direction = bidirectional: ONNX's reverse direction keeps outputs in input order, as
    // Keras's Bidirectional reverses its backward sequence back. Outputs, forward states,
    // backward states.
    emit(c, inputs, ctx) {
      const layer = c.layer as CellConfig & { type: CellType };
      const run = runCell(ctx, layer.type, layer, inputs[0] as string, true);
      const seq = layer.returnSequences;
      const mode = c.mergeMode;
      let outputs: string[];
      if (mode === 'concat') {
        outputs = [
          seq
            ? sequenceOut(ctx, run.y, ctx.outputName(0))
            : lastOut(ctx, run.yh, ctx.outputName(0)),
        ];
      } else {
        // (B, T, D, U) or (D, B, U) -> each direction
        const both = seq ? ctx.op('Transpose', [run.y], { perm: ints([2, 0, 1, 3]) }) : run.yh;
        const axis = seq ? 2 : 0;
        const half = (d: number, output?: string) =>
          ctx.op(
            'Gather',
            [both, ctx.graph.int64s(`${ctx.node.path}/direction`, [d], [])],
            { axis: int(axis) },
            output,
          );
        if (mode === null) {
          outputs = [half(0, ctx.outputName(0)), half(1, ctx.outputName(1))];
        } else {
          const [f, bw] = [half(0), half(1)];
          const out = ctx.outputName(0);
          if (mode === 'sum') outputs = [ctx.op('Add', [f, bw], {}, out)];
          else if (mode === 'mul') outputs = [ctx.op('Mul', [f, bw], {}, out)];
          else
            outputs = [ctx.op('Mul', [ctx.op('Add', [f, bw]), ctx.scalar('half', 0.5)], {}, out)];
        }
      }
      if (!layer.returnState) return outputs;
      const states = run.yc === undefined ? [run.yh] : [run.yh, run.yc];
      let index = outputs.length;
      const named = [0, 1].flatMap((d) =>
        states.map((s) => stateOf(ctx, s, d, ctx.outputName(index++))),
      );
      return [...outputs, ...named];
    },
  } satisfies Emitter<'bidirectional'>,
};
