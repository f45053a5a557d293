// Test support: export a one-layer spec with weights of the right shapes and decode its graph.
import { type LayerInput, resolveSpec, writeSafetensors } from '@netspec/spec';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import type { AttributeProto, GraphProto, ModelProto, NodeProto } from '../proto/types.js';

/** Exports `layer` on an input of `shape` (weights 0.5) and decodes the model. */
export function exportLayer(
  layer: LayerInput,
  shape: (number | null)[],
  { dtype = 'float32', opset = 17 }: { dtype?: 'float32' | 'int32'; opset?: number } = {},
): ModelProto {
  const spec = { specVersion: 1, name: 'g', inputs: [{ id: 'x', shape, dtype }], layers: [layer] };
  const model = resolveSpec(spec);
  const tensors = Object.fromEntries(
    model.nodes
      .flatMap((n) => n.params)
      .map((p) => [
        p.path,
        {
          dtype: 'F32' as const,
          shape: p.shape,
          data: new Float32Array(p.shape.reduce((a, b) => a * b, 1)).fill(0.5),
        },
      ]),
  );
  return decodeModel(exportOnnx(model, writeSafetensors(tensors), { opset }));
}

export const graphOf = (m: ModelProto) => m.graph as GraphProto;
export const ops = (g: GraphProto) => (g.node ?? []).map((n) => n.op_type);

/** An attribute's value as a plain number, list or string. */
export function attr(node: NodeProto | undefined, name: string): unknown {
  const a = node?.attribute?.find((x: AttributeProto) => x.name === name);
  if (!a) return undefined;
  if (a.s) return new TextDecoder().decode(a.s);
  return a.ints?.length ? a.ints : a.floats?.length ? a.floats : (a.i ?? a.f);
}

/** Initializer dims by name, and int64 initializer values. */
export const initDims = (g: GraphProto) =>
  Object.fromEntries((g.initializer ?? []).map((t) => [t.name, t.dims ?? []]));
export function int64Values(g: GraphProto, name: string | undefined): number[] {
  const t = (g.initializer ?? []).find((x) => x.name === name);
  const raw = t?.raw_data ?? new Uint8Array();
  return Array.from(new BigInt64Array(new Uint8Array(raw).buffer), Number);
}
