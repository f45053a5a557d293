import type { GraphProto, ModelProto } from '../proto/types.js';

/** IR version that goes with each opset (onnx/docs/Versioning.md), for the opsets netspec writes. */
export const IR_VERSION_OF_OPSET: Readonly<Record<number, number>> = {
  17: 8,
  18: 8,
  19: 9,
  20: 9,
  21: 10,
  22: 10,
  23: 11,
};

export const SUPPORTED_OPSETS = Object.keys(IR_VERSION_OF_OPSET).map(Number);

export interface ModelInfo {
  opset: number;
  /** Written as the ModelProto's producer_version. */
  producerVersion: string;
  /** metadata_props: string pairs only (no paths, no timestamps: the same inputs give the same bytes). */
  metadata: Record<string, string>;
}

/** A ModelProto around a graph: IR version from the opset, producer "netspec". */
export function modelProto(graph: GraphProto, info: ModelInfo): ModelProto {
  const ir = IR_VERSION_OF_OPSET[info.opset];
  if (ir === undefined) throw new Error(`no IR version known for opset ${info.opset}`);
  return {
    ir_version: ir,
    opset_import: [{ domain: '', version: info.opset }],
    producer_name: 'netspec',
    producer_version: info.producerVersion,
    graph,
    metadata_props: Object.entries(info.metadata).map(([key, value]) => ({ key, value })),
  };
}
