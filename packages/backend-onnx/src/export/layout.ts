import type { Dtype } from '@netspec/spec';
import { ints } from '../graph/attributes.js';
import type { GraphBuilder, ValueDim } from '../graph/builder.js';

/** Graph input layout of channels-last inputs: as in the spec (NHWC), or channels first (NCHW). */
export type InputLayout = 'nhwc' | 'nchw';

export interface LayoutInput {
  name: string;
  dtype: Dtype;
  elemType: number;
  /** The graph input's dims, batch first, channels last (as the spec declares them). */
  dims: readonly ValueDim[];
}

/**
 * Whether an input is declared channels-first under `layout: 'nchw'`: float32 inputs of rank 3 or
 * more (batch included), that is images, volumes and sequences (B, ..., C). Token ids (int32) and
 * rank-2 inputs (B, C) have no channel axis to move.
 */
export function movesToChannelsFirst(input: Pick<LayoutInput, 'dtype' | 'dims'>): boolean {
  return input.dtype === 'float32' && input.dims.length >= 3;
}

/** (B, C, d1, ..., dn) -> (B, d1, ..., dn, C). */
export function channelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}

/** (B, d1, ..., dn, C) -> (B, C, d1, ..., dn). */
export function channelsFirstDims(dims: readonly ValueDim[]): ValueDim[] {
  return [dims[0] ?? null, dims.at(-1) ?? null, ...dims.slice(1, -1)];
}

/**
 * Declares the graph inputs (their names already reserved) and returns, for each, the value the
 * rest of the graph reads: the input itself, or under 'nchw' a `Transpose` of a channels-first
 * input back to channels-last, so the emitted layers are the same in both layouts (onnxruntime
 * cancels it against the Transpose in front of an NCHW op such as Conv).
 */
export function declareInputs(
  graph: GraphBuilder,
  inputs: readonly LayoutInput[],
  layout: InputLayout,
): Map<string, string> {
  const values = new Map<string, string>();
  for (const input of inputs) {
    if (layout === 'nchw' && movesToChannelsFirst(input)) {
      graph.input(input.name, input.elemType, channelsFirstDims(input.dims));
      const perm = channelsLastPerm(input.dims.length);
      values.set(
        input.name,
        graph.op(
          'Transpose',
          [input.name],
          { perm: ints(perm) },
          { base: `${input.name}/channels_last` },
        ),
      );
    } else {
      graph.input(input.name, input.elemType, input.dims);
      values.set(input.name, input.name);
    }
  }
  return values;
}
