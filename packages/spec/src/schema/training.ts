import { z } from 'zod';

/** The training section (being written). */
export const Training = z.strictObject({});
export type Training = z.infer<typeof Training>;
