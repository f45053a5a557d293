import { z } from 'zod';
import { Activation } from '../schema/activation.js';
import { PositiveInt, Rate, Seed, type Shape } from '../schema/primitives.js';
import { Constraint, Initializer, Regularizer } from '../schema/weights.js';
import {
  defineLayer,
  type InferContext,
  type Inferred,
  LayerError,
  type ParamShape,
  param,
  type TensorType,
} from './kind.js';
import { knownDim, single } from './shape.js';

const seed = Seed.optional();

/** The options Keras's SimpleRNN, LSTM and GRU share, with Keras's defaults. */
const rnnFields = () => ({
  units: PositiveInt,
  activation: Activation.default('tanh'),
  useBias: z.boolean().default(true),
  kernelInitializer: Initializer.default('glorotUniform'),
  recurrentInitializer: Initializer.default('orthogonal'),
  biasInitializer: Initializer.default('zeros'),
  kernelRegularizer: Regularizer.optional(),
  recurrentRegularizer: Regularizer.optional(),
  biasRegularizer: Regularizer.optional(),
  activityRegularizer: Regularizer.optional(),
  kernelConstraint: Constraint.optional(),
  recurrentConstraint: Constraint.optional(),
  biasConstraint: Constraint.optional(),
  dropout: Rate.default(0),
  recurrentDropout: Rate.default(0),
  returnSequences: z.boolean().default(false),
  returnState: z.boolean().default(false),
  goBackwards: z.boolean().default(false),
  seed,
});

/** What a recurrent layer's configuration says about its outputs and weights. */
interface RnnOptions {
  units: number;
  useBias: boolean;
  returnSequences: boolean;
  returnState: boolean;
}

/** How a cell differs: gates stacked in its kernels, states it carries, its bias shape. */
interface Cell {
  gates: number;
  states: number;
  bias: (units: number) => number[];
}

/** Output (T, units) or (units), then one (units) tensor per state when returnState. */
function inferRnn(c: RnnOptions, inputs: TensorType[], cell: Cell): Inferred {
  const x = single(inputs, 3, '(batch, steps, features)');
  const features = knownDim(x, -1, 'to size the kernel');
  const steps = x.shape[0] ?? null;
  const out: Shape = c.returnSequences ? [steps, c.units] : [c.units];
  const states = c.returnState ? Array.from({ length: cell.states }, () => [c.units]) : [];
  const width = cell.gates * c.units;
  return {
    outputs: [out, ...states].map((shape) => ({ shape, dtype: 'float32' as const })),
    params: [
      param('kernel', [features, width]),
      param('recurrent_kernel', [c.units, width]),
      ...(c.useBias ? [param('bias', cell.bias(c.units))] : []),
    ],
  };
}

export const simpleRnn = defineLayer({
  type: 'simpleRnn',
  family: 'recurrent',
  doc: 'Fully connected recurrence: h = activation(x · kernel + h · recurrent_kernel + bias).',
  fields: rnnFields(),
  infer: (c, inputs) => inferRnn(c, inputs, { gates: 1, states: 1, bias: (u) => [u] }),
});

export const lstm = defineLayer({
  type: 'lstm',
  family: 'recurrent',
  doc: 'Long short-term memory; gates stacked i, f, c, o in the kernels as in Keras.',
  fields: {
    ...rnnFields(),
    recurrentActivation: Activation.default('sigmoid'),
    /** Adds 1 to the forget gate's bias at initialization (Jozefowicz et al., 2015). */
    unitForgetBias: z.boolean().default(true),
  },
  // Keras returns [output, h, c].
  infer: (c, inputs) => inferRnn(c, inputs, { gates: 4, states: 2, bias: (u) => [4 * u] }),
});

export const gru = defineLayer({
  type: 'gru',
  family: 'recurrent',
  doc: 'Gated recurrent unit; gates stacked z, r, h in the kernels as in Keras.',
  fields: {
    ...rnnFields(),
    recurrentActivation: Activation.default('sigmoid'),
    /** Reset gate after the recurrent matmul (cuDNN's form): separate input and recurrent biases. */
    resetAfter: z.boolean().default(true),
  },
  infer: (c, inputs) =>
    inferRnn(c, inputs, {
      gates: 3,
      states: 1,
      // reset_after keeps the input bias and the recurrent bias as two rows.
      bias: (u) => (c.resetAfter ? [2, 3 * u] : [3 * u]),
    }),
});

/** The recurrent layers `bidirectional` can wrap, discriminated on `type`. */
const RecurrentConfig = z.discriminatedUnion('type', [simpleRnn.config, lstm.config, gru.config]);

/** Infers the wrapped layer, blaming its keys as `layer/<key>`. */
function inferWrapped(ctx: InferContext, layer: { type: string }, inputs: TensorType[]): Inferred {
  try {
    return ctx.inferInner(layer, inputs);
  } catch (e) {
    if (e instanceof LayerError && e.field !== 'inputs') {
      throw new LayerError(e.message, e.field ? `layer/${e.field}` : 'layer');
    }
    throw e;
  }
}

type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/** Concat doubles the last axis; sum, mul and ave keep the shape. */
function merged(out: TensorType, mode: MergeMode): TensorType {
  if (mode !== 'concat') return out;
  const last = out.shape.at(-1) as number;
  return { shape: [...out.shape.slice(0, -1), 2 * last], dtype: out.dtype };
}

const prefixed = (prefix: string, params: ParamShape[] = []) =>
  params.map((p) => ({ ...p, name: `${prefix}.${p.name}` }));

export const bidirectional = defineLayer({
  type: 'bidirectional',
  family: 'recurrent',
  doc: 'Runs a recurrent `layer` forward and a copy backward over the sequence and merges them.',
  fields: {
    layer: RecurrentConfig,
    /** null returns the forward and backward outputs unmerged. */
    mergeMode: z
      .enum(['concat', 'sum', 'mul', 'ave'], { error: 'one of concat, sum, mul, ave, or null' })
      .nullable()
      .default('concat'),
  },
  infer(c, inputs, ctx) {
    // The backward copy differs only in goBackwards, so one inference sizes both.
    const inner = inferWrapped(ctx, c.layer, inputs);
    const [out, ...states] = inner.outputs as [TensorType, ...TensorType[]];
    const outputs = c.mergeMode === null ? [out, out] : [merged(out, c.mergeMode)];
    return {
      // Keras order: output(s), then the forward states, then the backward states.
      outputs: [...outputs, ...states, ...states],
      params: [...prefixed('forward', inner.params), ...prefixed('backward', inner.params)],
    };
  },
});

/** The recurrent family: one entry per layer kind (DESIGN.md). */
export const recurrentLayers = { simpleRnn, lstm, gru, bidirectional };
