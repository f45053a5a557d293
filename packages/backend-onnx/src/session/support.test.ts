import { describe, expect, it } from 'vitest';
import { OnnxFileError } from '../errors.js';
import { GraphBuilder } from '../graph/builder.js';
import { encodeModel } from '../proto/codec.js';
import { DataType, type OperatorSetIdProto } from '../proto/types.js';
import { readOnnx } from './check.js';
import { createSession, ONNX_ENGINES } from './create.js';
import { loadOrtNode, loadOrtWeb } from './engines.js';
import { MAX_AI_ONNX_OPSET, opsetImports, unsupportedOpError } from './support.js';

/** x -> op -> y, one float input and output, with the given opset imports. */
function tinyModel(op: string, opsets: OperatorSetIdProto[], ir = 10): Uint8Array {
  const g = new GraphBuilder('g');
  g.input(g.reserve('x'), DataType.FLOAT, [2]);
  const y = g.op(op, ['x'], {}, { output: g.reserve('y') });
  g.output(y, DataType.FLOAT, [2]);
  return encodeModel({
    ir_version: ir,
    opset_import: opsets,
    producer_name: 't',
    graph: g.build(),
  });
}

describe('opset support', () => {
  it('readOnnx reports the opset imports', () => {
    const model = readOnnx(
      tinyModel('Relu', [
        { domain: '', version: 17 },
        { domain: 'com.microsoft', version: 1 },
      ]),
    );
    expect(model.opset_import).toEqual([
      { domain: '', version: 17 },
      { domain: 'com.microsoft', version: 1 },
    ]);
    expect(opsetImports(model)).toEqual(
      new Map([
        ['ai.onnx', 17],
        ['com.microsoft', 1],
      ]),
    );
  });

  it.each(ONNX_ENGINES)('%s runs its maximum opset and refuses the next', async (engine) => {
    const max = MAX_AI_ONNX_OPSET[engine];
    const runner = await createSession(tinyModel('Relu', [{ domain: '', version: max }], 11), {
      engine,
    });
    const out = await runner.run({ x: { data: Float32Array.of(-1, 2), shape: [2] } });
    expect(Array.from(out.y?.data ?? [])).toEqual([0, 2]);
    await runner.dispose();
    const name = engine === 'ort-node' ? 'onnxruntime-node' : 'onnxruntime-web';
    for (const domain of ['', 'ai.onnx']) {
      const newer = tinyModel('Relu', [{ domain, version: 30 }], 11);
      const p = createSession(newer, { engine, source: 'new.onnx' });
      await expect(p).rejects.toThrow(OnnxFileError);
      await expect(createSession(newer, { engine, source: 'new.onnx' })).rejects.toThrow(
        `new.onnx: model uses ai.onnx opset 30; ${name} 1.30 runs up to ${max}`,
      );
      expect(() => readOnnx(newer, 'new.onnx', engine)).toThrow(/opset 30/);
    }
    // The engine itself agrees (the pinned maximum is onnxruntime's): asked directly, past our
    // check, it loads the maximum and refuses one more.
    const ort = await (engine === 'ort-node' ? loadOrtNode() : loadOrtWeb());
    const options = { executionProviders: [engine === 'ort-node' ? 'cpu' : 'wasm'] };
    const atMax = tinyModel('Relu', [{ domain: '', version: max }], 11);
    await expect(ort.InferenceSession.create(atMax, options)).resolves.toBeDefined();
    const past = tinyModel('Relu', [{ domain: '', version: max + 1 }], 11);
    await expect(ort.InferenceSession.create(past, options)).rejects.toThrow(/opset/);
  });

  it.each(ONNX_ENGINES)('%s: an unknown operator domain is named', async (engine) => {
    const bytes = tinyModel('Relu', [
      { domain: '', version: 17 },
      { domain: 'org.example.custom', version: 3 },
    ]);
    await expect(createSession(bytes, { engine })).rejects.toThrow(OnnxFileError);
    await expect(createSession(bytes, { engine })).rejects.toThrow(
      /operator domain "org\.example\.custom" \(opset 3\).*does not implement/,
    );
    for (const domain of ['ai.onnx.ml', 'com.microsoft']) {
      const ok = tinyModel('Relu', [
        { domain: '', version: 17 },
        { domain, version: 1 },
      ]);
      await (await createSession(ok, { engine })).dispose();
    }
  });
});

describe('op support', () => {
  it.each(ONNX_ENGINES)('%s: an op the engine cannot run is an OnnxFileError', async (engine) => {
    const name = engine === 'ort-node' ? 'onnxruntime-node' : 'onnxruntime-web';
    const cases = [
      // An op that exists nowhere.
      { op: 'NotAnOp', opset: 17 },
      // Gelu joined ai.onnx at opset 20: at 17 it does not exist.
      { op: 'Gelu', opset: 17 },
    ];
    for (const { op, opset } of cases) {
      const bytes = tinyModel(op, [{ domain: '', version: opset }], 8);
      const p = createSession(bytes, { engine, source: 'op.onnx' });
      await expect(p).rejects.toThrow(OnnxFileError);
      const error = await createSession(bytes, { engine, source: 'op.onnx' }).catch((e) => e);
      expect(error.message).toBe(
        `op.onnx: ${name} 1.30 cannot run op ${op} (node "y") at opset ${opset}: the engine has no implementation of it at that opset`,
      );
      expect(error.message).not.toMatch(/onnxruntime_src|ERROR_CODE|\.h:\d+/);
    }
    // Gelu at 20 runs.
    const gelu = await createSession(tinyModel('Gelu', [{ domain: '', version: 20 }], 9), {
      engine,
    });
    await gelu.dispose();
  });
});

describe('unsupportedOpError', () => {
  const model = readOnnx(tinyModel('Foo', [{ domain: '', version: 13 }]));
  it('reads the "no kernel" message of onnxruntime too, and ignores other failures', () => {
    const reason =
      "Could not find an implementation for Foo(13) node with name 'my_foo' [ONNXRuntimeError]";
    expect(unsupportedOpError(model, 'ort-node', reason, 'm.onnx')?.message).toBe(
      'm.onnx: onnxruntime-node 1.30 cannot run op Foo (node "my_foo") at opset 13: the engine has no implementation of it at that opset',
    );
    expect(unsupportedOpError(model, 'ort-web', 'out of memory')).toBeUndefined();
  });
});
