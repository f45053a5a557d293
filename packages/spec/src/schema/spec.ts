import { z } from 'zod';
import { type Layer, LayerSchema } from '../layers/registry.js';
import { Dim, Dtype, Id, Ref } from './primitives.js';
import { Training } from './training.js';

/** The spec version this netspec writes; older versions are migrated before validation. */
export const SPEC_VERSION = 1;

export const InputSchema = z.strictObject({
  id: Id,
  /** Without the batch dimension; null for a free length. */
  shape: z
    .array(Dim, { error: 'an array of dimensions' })
    .max(8, { error: 'at most 8 dimensions' }),
  dtype: Dtype.default('float32'),
});

export const BlockSchema = z.strictObject({
  description: z.string().optional(),
  /** Names the block's layers use for the tensors it is given, in order. */
  inputs: z.array(Id).min(1).default(['x']),
  layers: z.array(LayerSchema).min(1, { error: 'at least one layer' }),
  /** Default: the last layer's output. */
  outputs: z.array(Ref).min(1).optional(),
});

export const SpecSchema = z.strictObject({
  /** Lets editors validate and complete the file; ignored by netspec. */
  $schema: z.string().optional(),
  specVersion: z.literal(SPEC_VERSION, { error: `specVersion ${SPEC_VERSION}` }),
  name: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, { error: 'a name of letters, digits, _, . and -' }),
  description: z.string().optional(),
  inputs: z.array(InputSchema).min(1, { error: 'at least one input' }),
  layers: z.array(LayerSchema).min(1, { error: 'at least one layer' }),
  /** Tensors the model returns; default: the last layer's output. */
  outputs: z.array(Ref).min(1).optional(),
  blocks: z.record(Id, BlockSchema).optional(),
  training: Training.optional(),
});

export type Input = z.output<typeof InputSchema>;
export type Block = Omit<z.output<typeof BlockSchema>, 'layers'> & { layers: Layer[] };
/** A parsed spec, every default filled in. */
export type Spec = Omit<z.output<typeof SpecSchema>, 'layers' | 'blocks'> & {
  layers: Layer[];
  blocks?: Record<string, Block>;
};
/** A spec as a user writes it (defaults optional). */
export type SpecInput = z.input<typeof SpecSchema>;
