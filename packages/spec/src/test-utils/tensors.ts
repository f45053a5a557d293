import { countParams, inferLayer } from '../layers/infer.js';
import { LayerError, type TensorType } from '../layers/kind.js';
import type { Shape } from '../schema/primitives.js';

/** A float32 tensor type of the given shape (without batch). */
export const f32 = (...shape: Shape): TensorType => ({ shape, dtype: 'float32' });
/** An int32 tensor type of the given shape (without batch). */
export const i32 = (...shape: Shape): TensorType => ({ shape, dtype: 'int32' });

/** Output shapes and parameter count of one layer on the given inputs. */
export function infer(config: { type: string } & Record<string, unknown>, ...inputs: TensorType[]) {
  return inferWithRefs(config, inputs, {});
}

/** Like `infer`, with tensors for the kind's `refFields` (masks). */
export function inferWithRefs(
  config: { type: string } & Record<string, unknown>,
  inputs: TensorType[],
  refs: Record<string, TensorType>,
) {
  const r = inferLayer(config, inputs, refs);
  return {
    shapes: r.outputs.map((o) => o.shape),
    shape: r.outputs[0]?.shape,
    dtype: r.outputs[0]?.dtype,
    params: countParams(r.params),
    paramShapes: Object.fromEntries((r.params ?? []).map((p) => [p.name, p.shape])),
    trainable: countParams(r.params?.filter((p) => p.trainable)),
  };
}

/** The field a LayerError blames, so tests pin where the user is sent. */
export function blame(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LayerError) return e.field;
    throw e;
  }
  throw new Error('expected a LayerError');
}
