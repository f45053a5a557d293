import { type DecoderPlan, decoderPlan, type ResolvedModel } from '@netspec/spec';
import { ExportError } from '../errors.js';

// The decoder-with-past graph needs what step-by-step decoding needs (the spec's decoderPlan,
// which backend-tfjs's KV cache shares) and at least one decoder whose keys and values to carry.

/** The plan of a resolved model, or an ExportError saying what does not fit. */
export function cachePlan(model: ResolvedModel): DecoderPlan {
  let plan: DecoderPlan;
  try {
    plan = decoderPlan(model);
  } catch (e) {
    if ((e as Error).name === 'DecoderPlanError')
      throw new ExportError(`kvCache: ${(e as Error).message}`);
    throw e;
  }
  if (!plan.decoders.length)
    throw new ExportError(
      'kvCache: expected at least one transformerDecoder layer to cache, got none',
    );
  return plan;
}
