import type { SpecInput } from '@netspec/spec';

/** A spec as a user writes it (defaults optional): what every zoo factory returns. */
export type { SpecInput };
/** One layer of a spec, as written. */
export type LayerInput = SpecInput['layers'][number];
/** One named block of a spec, as written. */
export type BlockInput = NonNullable<SpecInput['blocks']>[string];
/** Activation as written in a spec (a name or an object with options). */
export type ActivationInput = Extract<LayerInput, { type: 'dense' }>['activation'];
