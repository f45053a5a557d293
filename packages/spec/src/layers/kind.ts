import { z } from 'zod';
import { type Dtype, Id, Ref, type Shape } from '../schema/primitives.js';

/** The layer families; each has one file per package under the same name (DESIGN.md). */
export type Family =
  | 'core'
  | 'merge'
  | 'conv'
  | 'pooling'
  | 'normalization'
  | 'recurrent'
  | 'attention'
  | 'generative'
  | 'block';

/** A tensor as shape inference sees it: shape without the batch dimension. */
export interface TensorType {
  shape: Shape;
  dtype: Dtype;
}

/** One weight of a layer, named as in Keras (`kernel`, `bias`, `query.kernel`, ...). */
export interface ParamShape {
  name: string;
  shape: number[];
  /** Keras's non-trainable weights (moving statistics); false also when the layer is frozen. */
  trainable: boolean;
}

/** A weight of a layer; trainable unless it holds statistics (batchNorm's moving averages). */
export function param(name: string, shape: number[], trainable = true): ParamShape {
  return { name, shape, trainable };
}

/** A weight a layer reuses from the layer its `field` names (tied embeddings): stored there once. */
export interface TiedParam {
  /** The name this layer reads it by (`embeddings`). */
  name: string;
  /** The weight-reference field naming the owner layer. */
  field: string;
  /** The weight's name in the owner layer (`token_embedding.embeddings`). */
  param: string;
}

export interface Inferred {
  outputs: TensorType[];
  params?: ParamShape[];
  /** Weights of other layers this one uses; they count once, where they are stored. */
  tied?: TiedParam[];
}

/** A layer another layer names by a weight-reference field: its kind and weights. */
export interface ReferencedLayer {
  type: string;
  params: ParamShape[];
}

/** How many tensors a layer takes, and of which dtype. */
export interface Arity {
  min: number;
  max: number;
  /** Every input must have this dtype; `any` for layers that only move data around. */
  dtype: Dtype | 'any';
}

/** What inference may ask beyond the layer's own inputs. */
export interface InferContext {
  /** Tensors named by the kind's `refFields` (masks), when the layer sets them. */
  refs: Partial<Record<string, TensorType>>;
  /** Layers named by the kind's `weightRefFields`, when they resolved. */
  layers: Partial<Record<string, ReferencedLayer>>;
  /** Wrappers (`bidirectional`, `timeDistributed`) infer the layer they hold. */
  inferInner(config: { type: string }, inputs: TensorType[]): Inferred;
}

/**
 * A problem in one layer found by shape inference. `field` is the key (or `key/index` path) of
 * the layer the user should look at; empty for the layer as a whole.
 */
export class LayerError extends Error {
  constructor(
    message: string,
    readonly field = '',
  ) {
    super(message);
  }
}

/** Fields every layer has besides its own configuration. */
export const commonFields = {
  id: Id,
  inputs: z
    .array(Ref, { error: 'an array of references' })
    .min(1, { error: 'at least one reference' })
    .optional(),
  trainable: z.boolean().default(true),
};

type ConfigShape<T extends string, F extends z.ZodRawShape> = { type: z.ZodLiteral<T> } & F;
export type LayerConfig<T extends string, F extends z.ZodRawShape> = z.output<
  z.ZodObject<ConfigShape<T, F>, z.core.$strict>
>;

export interface LayerKindDef<T extends string, F extends z.ZodRawShape> {
  type: T;
  family: Family;
  /** One line for docs and the summary. */
  doc: string;
  fields: F;
  /** Default: exactly one float32 input. */
  arity?: Partial<Arity>;
  /** Fields that name tensors besides `inputs` (masks); the graph resolves them too. */
  refFields?: readonly (keyof F & string)[];
  /** Fields that name another layer (not a tensor) whose weights this one reuses. */
  weightRefFields?: readonly (keyof F & string)[];
  /** Composite kinds (`block`) are expanded by the resolver into the layers they hold. */
  composite?: boolean;
  infer(config: LayerConfig<T, F>, inputs: TensorType[], ctx: InferContext): Inferred;
}

export interface LayerKind<T extends string = string, F extends z.ZodRawShape = z.ZodRawShape>
  extends LayerKindDef<T, F> {
  arity: Arity;
  refFields: readonly (keyof F & string)[];
  weightRefFields: readonly (keyof F & string)[];
  /** The configuration alone, as wrappers (`bidirectional`, `timeDistributed`) embed it. */
  config: z.ZodObject<ConfigShape<T, F>, z.core.$strict>;
  /** The full layer: id, type, inputs, trainable and the configuration. */
  schema: z.ZodObject<typeof commonFields & ConfigShape<T, F>, z.core.$strict>;
}

const DEFAULT_ARITY: Arity = { min: 1, max: 1, dtype: 'float32' };

export function defineLayer<const T extends string, F extends z.ZodRawShape>(
  def: LayerKindDef<T, F>,
): LayerKind<T, F> {
  const typeField = { type: z.literal(def.type) } as { type: z.ZodLiteral<T> };
  return {
    ...def,
    arity: { ...DEFAULT_ARITY, ...def.arity },
    refFields: def.refFields ?? [],
    weightRefFields: def.weightRefFields ?? [],
    config: z.strictObject({ ...typeField, ...def.fields }),
    schema: z.strictObject({
      id: commonFields.id,
      ...typeField,
      inputs: commonFields.inputs,
      trainable: commonFields.trainable,
      ...def.fields,
    }),
  } as LayerKind<T, F>;
}

/** The kinds of a family map, seen through the common interface. */
export function kindsOf(map: object): LayerKind[] {
  return Object.values(map) as LayerKind[];
}
