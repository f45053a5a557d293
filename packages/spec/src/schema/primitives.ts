import { z } from 'zod';

/** Largest size of one dimension: tfjs and ONNX Runtime index tensors with int32. */
export const MAX_DIM = 2 ** 31 - 1;

/**
 * An integer in [min, max]. Every check carries the same "expected" phrase, so a user reads
 * "expected a positive integer, got -4" whichever bound failed.
 */
export function int(min: number, max = MAX_DIM) {
  const what =
    min === 1
      ? 'a positive integer'
      : min === 0
        ? 'a non-negative integer'
        : `an integer >= ${min}`;
  const phrase = max === MAX_DIM ? what : `${what} <= ${max}`;
  return z
    .number({ error: phrase })
    .int({ error: phrase })
    .min(min, { error: phrase })
    .max(max, { error: phrase });
}

/** A finite number in [min, max] (either bound optional); `exclusiveMax` for rates below 1. */
export function num(opts: { min?: number; max?: number; exclusiveMax?: boolean } = {}) {
  const { min, max, exclusiveMax } = opts;
  const lo = min === undefined ? '' : `>= ${min}`;
  const hi = max === undefined ? '' : `${exclusiveMax ? '<' : '<='} ${max}`;
  const phrase = lo || hi ? `a number ${[lo, hi].filter(Boolean).join(' and ')}` : 'a number';
  let s = z.number({ error: phrase });
  if (min !== undefined) s = s.min(min, { error: phrase });
  if (max !== undefined)
    s = exclusiveMax ? s.lt(max, { error: phrase }) : s.max(max, { error: phrase });
  return s;
}

export const PositiveInt = int(1);
/** Seeds of netspec's own RNG: unsigned 32-bit, so every engine can take them. */
export const Seed = int(0, 2 ** 32 - 1);
export const NonNegativeInt = int(0);
/** A probability of dropping a unit: Keras requires 0 <= rate < 1. */
export const Rate = num({ min: 0, max: 1, exclusiveMax: true });

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Ids become weight-name segments (`encoder.3.query.kernel`), so no dots or colons. */
export const Id = z.string({ error: 'an id (letters, digits, _)' }).regex(ID_PATTERN, {
  error: 'an id made of letters, digits and _, not starting with a digit',
});
/** A tensor reference: a layer or input id, with `:n` for a layer's n-th output. */
export const Ref = z
  .string({ error: 'a reference "id" or "id:n"' })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(:[0-9]+)?$/, {
    error: 'a reference "id" or "id:n" (layer or input id, optional output index)',
  });

export const Dtype = z.enum(['float32', 'int32']);
export type Dtype = z.infer<typeof Dtype>;

/** One dimension without the batch: a size, or null for a free length. */
export const Dim = z.union([PositiveInt, z.null()], { error: 'a positive integer or null' });
export type Shape = (number | null)[];

/** Keras accepts `3` for `[3, 3]` wherever a 2-D size is asked. */
export const IntOrPair = (base = PositiveInt) =>
  z.union([base, z.tuple([base, base])], { error: 'an integer or a pair of integers' });

export const Padding = z.enum(['valid', 'same']);
export const Axis = z.number({ error: 'an integer axis' }).int({ error: 'an integer axis' });
