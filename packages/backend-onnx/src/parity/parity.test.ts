import {
  buildModel,
  type NetspecModel,
  Rng,
  saveWeights,
  tf,
  tfjsRunner,
  useEngine,
} from '@netspec/backend-tfjs';
import { type ModelRunner, type RunnerTensor, readSafetensors } from '@netspec/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../export.js';
import { createSession } from '../session/create.js';
import { compareRunners, formatParityTable, tensorError } from './compare.js';
import { describeDivergence, firstDivergence, type LayerOutputs } from './divergence.js';

/** tfjs's value of every named tensor, through `model.forward`. */
function tfjsLayers(model: NetspecModel): LayerOutputs {
  return async (inputs, names) => {
    const feeds = Object.fromEntries(
      model.resolved.inputs.map((t) => {
        const x = inputs[t.name] as RunnerTensor;
        return [t.name, tf.tensor(x.data, x.shape, t.dtype)];
      }),
    );
    try {
      const outs = tf.tidy(() => model.forward(feeds, { outputs: names }).outputs);
      const result: Record<string, RunnerTensor> = {};
      // A pass-through layer (dropout) gives the same tensor under two names: dispose once.
      for (const [name, t] of Object.entries(outs)) {
        result[name] = { data: new Float32Array(await t.data()), shape: t.shape };
      }
      tf.dispose([...new Set(Object.values(outs))]);
      return result;
    } finally {
      tf.dispose(Object.values(feeds));
    }
  };
}

/** A runner that always answers `outputs`. */
const fixed = (engine: string, outputs: Record<string, RunnerTensor>): ModelRunner => ({
  engine,
  inputNames: ['x'],
  outputNames: Object.keys(outputs),
  run: async () => outputs,
  dispose: async () => {},
});
const t = (...v: number[]): RunnerTensor => ({ data: Float32Array.from(v), shape: [1, v.length] });

const spec = {
  specVersion: 1,
  name: 'mlp',
  inputs: [{ id: 'x', shape: [4] }],
  layers: [
    { id: 'h1', type: 'dense', units: 6, activation: 'tanh' },
    { id: 'h2', type: 'dense', units: 5, activation: 'relu' },
    { id: 'drop', type: 'dropout', rate: 0.2 },
    { id: 'y', type: 'dense', units: 3 },
  ],
};
const rng = new Rng(3);
const x: RunnerTensor = {
  data: Float32Array.from({ length: 8 }, () => rng.next() * 4 - 2),
  shape: [2, 4],
};

beforeAll(async () => {
  await useEngine('cpu');
});

describe('tensorError and compareRunners', () => {
  it('relative error is |a-b| / max(1, |b|); shape and NaN mismatches are infinite', () => {
    expect(tensorError(t(1, 10.001), t(1, 10))).toMatchObject({ maxRel: expect.closeTo(1e-4, 6) });
    expect(tensorError(t(0.5), t(0.5001)).maxAbs).toBeCloseTo(1e-4, 6);
    expect(tensorError(t(1, 2), t(1)).note).toBe('shape [1,2] vs [1,1]');
    expect(tensorError(t(Number.NaN), t(Number.NaN)).maxAbs).toBe(0);
    expect(tensorError(t(Number.NaN), t(1)).maxRel).toBe(Number.POSITIVE_INFINITY);
    expect(tensorError(undefined, t(1)).note).toBe('missing');
  });

  it('reports each engine and output against the reference, with a table', async () => {
    const ref = fixed('ref', { a: t(1, 2), b: t(100) });
    const good = fixed('good', { a: t(1, 2.00005), b: t(100.005) });
    const bad = fixed('bad', { a: t(1, 2.01), b: t(100) });
    const report = await compareRunners(ref, [good, bad], { x: t(0) }, { tolerance: 1e-4 });
    expect(report.pass).toBe(false);
    expect(report.rows.map((r) => [r.engine, r.output, r.pass])).toEqual([
      ['good', 'a', true],
      ['good', 'b', true],
      ['bad', 'a', false],
      ['bad', 'b', true],
    ]);
    expect(report.table.split('\n')[0]).toMatch(/^engine\s+output\s+maxAbs\s+maxRel\s+pass/);
    expect(report.table).toMatch(/bad\s+a\s+1\.00e-2\s+5\.00e-3\s+NO/);
    expect(formatParityTable([], 1e-4).split('\n')).toHaveLength(1);
  });
});

describe('tfjs against onnxruntime', () => {
  it('a seeded MLP passes on ort-node and ort-web, and no layer diverges', async () => {
    const model = buildModel(spec, { seed: 5 });
    const weights = saveWeights(model);
    const bytes = exportOnnx(model.resolved, weights);
    const runners = [
      await createSession(bytes, { engine: 'ort-node' }),
      await createSession(bytes, { engine: 'ort-web' }),
    ];
    const ref = tfjsRunner(buildModel(spec, { weights }));
    const report = await compareRunners(ref, runners, { x });
    expect(report.rows.map((r) => r.engine)).toEqual(['ort-node', 'ort-web']);
    expect(report.pass, report.table).toBe(true);
    for (const r of [ref, ...runners]) await r.dispose();
    const d = await firstDivergence(model.resolved, weights, { x }, 'ort-node', {
      reference: tfjsLayers(model),
    });
    expect(describeDivergence(d)).toBe('no layer output diverges');
    model.dispose();
  });

  it('one corrupted weight: firstDivergence names its layer', async () => {
    const model = buildModel(spec, { seed: 5 });
    const bytes = saveWeights(model);
    const file = readSafetensors(bytes.slice());
    const kernel = file.tensors.get('h2.kernel')?.data as Uint8Array;
    const view = new DataView(kernel.buffer, kernel.byteOffset, kernel.byteLength);
    view.setFloat32(0, view.getFloat32(0, true) + 0.5, true);
    const d = await firstDivergence(spec, file, { x }, 'ort-web', { reference: tfjsLayers(model) });
    expect(d).toMatchObject({ node: 'h2', type: 'dense', tensor: 'h2' });
    expect(d?.maxAbs).toBeGreaterThan(1e-3);
    expect(describeDivergence(d)).toMatch(/^first divergent layer: h2 \(dense\), tensor h2/);
    model.dispose();
  });
});
