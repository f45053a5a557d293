import { z } from 'zod';
import { Id, PositiveInt } from '../schema/primitives.js';
import { attentionLayers } from './attention.js';
import { convLayers } from './conv.js';
import { core } from './core.js';
import { generativeLayers } from './generative.js';
import { defineLayer, kindsOf, LayerError, type LayerKind } from './kind.js';
import { normalizationLayers } from './normalization.js';
import { poolingLayers } from './pooling.js';
import { recurrentLayers } from './recurrent.js';
import { formatShape, single } from './shape.js';

export const block = defineLayer({
  type: 'block',
  family: 'block',
  doc: 'Applies a named block from `blocks`, `repeat` times in a row; weights are named `<id>.<i>.<layer>.<param>`.',
  fields: { block: Id, repeat: PositiveInt.default(1) },
  arity: { min: 1, max: Number.POSITIVE_INFINITY, dtype: 'any' },
  composite: true,
  infer() {
    throw new Error('blocks are expanded by the resolver');
  },
});

/** Kinds that can be applied per time step: one input, no extra tensor or layer references. */
const wrappable = kindsOf({
  ...core,
  ...convLayers,
  ...poolingLayers,
  ...normalizationLayers,
  ...recurrentLayers,
  ...attentionLayers,
  ...generativeLayers,
}).filter(
  (k) =>
    k.arity.max === 1 && k.refFields.length === 0 && k.weightRefFields.length === 0 && !k.composite,
);

const innerConfig = z.discriminatedUnion(
  'type',
  wrappable.map((k) => k.config) as unknown as [LayerKind['config'], ...LayerKind['config'][]],
);

export const timeDistributed = defineLayer({
  type: 'timeDistributed',
  family: 'block',
  doc: 'Applies `layer` to every step of axis 1 with shared weights: (B, T, ...) -> (B, T, ...).',
  fields: { layer: innerConfig },
  arity: { dtype: 'any' },
  infer(c, inputs, ctx) {
    const x = single(inputs, [3, Number.POSITIVE_INFINITY]);
    const [steps, ...rest] = x.shape;
    let inner: ReturnType<typeof ctx.inferInner>;
    try {
      inner = ctx.inferInner(c.layer as { type: string }, [{ shape: rest, dtype: x.dtype }]);
    } catch (e) {
      if (e instanceof LayerError) {
        throw new LayerError(
          `${e.message} (per step of ${formatShape(x.shape)})`,
          e.field ? `layer/${e.field}` : 'layer',
        );
      }
      throw e;
    }
    return {
      outputs: inner.outputs.map((o) => ({ shape: [steps ?? null, ...o.shape], dtype: o.dtype })),
      params: inner.params ?? [],
    };
  },
});

/** The block family: layers that hold other layers. */
export const blockLayers = { block, timeDistributed };
