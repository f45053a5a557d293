import { decodeModel, exportOnnx, exportOnnxWithExternalData } from '@netspec/backend-onnx';
import { buildModel, saveWeights, useEngine } from '@netspec/backend-tfjs';
import { writeSafetensors } from '@netspec/spec';
import { lenet5 } from '@netspec/zoo';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxSummaryError, summarizeOnnx } from './onnx-summary.js';

let bytes: Uint8Array;
beforeAll(async () => {
  await useEngine('wasm');
  const model = buildModel(lenet5(), { seed: 1 });
  bytes = exportOnnx(model.resolved, saveWeights(model));
  model.dispose();
});

describe('summarizeOnnx', () => {
  it('agrees with the exporter’s own protobuf decoder on lenet5', () => {
    const s = summarizeOnnx(bytes, 'lenet5.onnx');
    const proto = decodeModel(bytes);
    const graph = proto.graph ?? {};
    expect(s.irVersion).toBe(proto.ir_version);
    expect(s.nodeCount).toBe(graph.node?.length);
    const counts: Record<string, number> = {};
    for (const n of graph.node ?? []) counts[n.op_type ?? ''] = (counts[n.op_type ?? ''] ?? 0) + 1;
    expect(Object.fromEntries(s.opCounts)).toEqual(counts);
    expect(s.initializerCount).toBe(graph.initializer?.length);
    expect(s.inputs.map((v) => v.name)).toEqual(graph.input?.map((v) => v.name));
    expect(s.outputs.map((v) => v.name)).toEqual(graph.output?.map((v) => v.name));
    // What a user reads: NHWC image with a symbolic batch, 10 probabilities.
    expect(s.inputs[0]?.type).toBe('float32');
    expect(s.inputs[0]?.shape.slice(1)).toEqual([28, 28, 1]);
    expect(typeof s.inputs[0]?.shape[0]).toBe('string');
    expect(s.outputs[0]?.shape.at(-1)).toBe(10);
    expect(s.opsets['ai.onnx']).toBe(17);
    expect(s.externalFiles).toEqual([]);
  });

  it('names the external data files', () => {
    const weights = writeSafetensors({
      'y.kernel': { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
      'y.bias': { dtype: 'F32', shape: [2], data: Float32Array.of(0.5, -0.5) },
    });
    const spec = {
      specVersion: 1,
      name: 'm',
      inputs: [{ id: 'x', shape: [3] }],
      layers: [{ id: 'y', type: 'dense', units: 2 }],
    };
    const { model } = exportOnnxWithExternalData(spec, weights, {
      externalData: { location: 'm.onnx.data' },
    });
    expect(summarizeOnnx(model).externalFiles).toEqual(['m.onnx.data']);
  });

  it('rejects empty, truncated and foreign bytes with where and what', () => {
    expect(() => summarizeOnnx(new Uint8Array(), 'a.onnx')).toThrow('a.onnx: the file is empty');
    for (const cut of [3, 100, bytes.length - 5]) {
      expect(() => summarizeOnnx(bytes.subarray(0, cut), 'a.onnx')).toThrow(OnnxSummaryError);
    }
    expect(() => summarizeOnnx(bytes.subarray(0, 100), 'a.onnx')).toThrow(
      /^a\.onnx: byte \d+: .*runs past the end; not an ONNX model, or a truncated one \(100 bytes\)$/,
    );
    const json = new TextEncoder().encode('{"specVersion": 1}');
    expect(() => summarizeOnnx(json, 'spec.json')).toThrow(/^spec\.json: /);
  });
});
