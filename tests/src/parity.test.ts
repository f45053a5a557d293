// Parity suite (DESIGN.md): every layer kind through tfjs (cpu, wasm), onnxruntime-node and -web.
import {
  compareRunners,
  createSession,
  describeDivergence,
  exportOnnx,
  firstDivergence,
  type LayerOutputs,
} from '@netspec/backend-onnx';
import {
  buildModel,
  type EngineName,
  type NetspecModel,
  Rng,
  saveWeights,
  tf,
  tfjsRunner,
  useEngine,
} from '@netspec/backend-tfjs';
import { LAYER_TYPES, type ModelRunner, type RunnerTensor } from '@netspec/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOWN_GAPS } from './known-gaps.js';
import { type Case, type CaseInput, PARITY_CASES } from './parity-cases.js';

const TOLERANCE = 1e-4;
const CASES: Record<string, Case[]> = PARITY_CASES;

const specOf = (c: Case) => ({
  specVersion: 1,
  name: c.name.replace(/[^A-Za-z0-9_.-]/g, '_'),
  inputs: c.inputs.map(({ id, shape, dtype }) => ({ id, shape, dtype: dtype ?? 'float32' })),
  ...(c.blocks ? { blocks: c.blocks } : {}),
  layers: c.layers,
});

/** Seeded inputs: uniform in [-2, 2), ids in [0, maxId), or 0/1 masks opening with 1. */
function inputsOf(c: Case, seed: number): Record<string, RunnerTensor> {
  const rng = new Rng(seed);
  return Object.fromEntries(
    c.inputs.map((i: CaseInput) => {
      const size = i.run.reduce((x, y) => x * y, 1);
      const last = i.run.at(-1) ?? 1;
      const value = (k: number) =>
        i.mask
          ? k % last === 0 || rng.next() < 0.6
            ? 1
            : 0
          : i.dtype === 'int32'
            ? Math.floor(rng.next() * (i.maxId ?? 2))
            : rng.next() * 4 - 2;
      const values = Array.from({ length: size }, (_, k) => value(k));
      const data = i.dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
      return [i.id, { data, shape: i.run }];
    }),
  );
}

/** A tfjs runner that selects its engine before each run (tfjs has one global backend). */
async function tfjsOn(name: EngineName, model: NetspecModel): Promise<ModelRunner> {
  await useEngine(name);
  const runner = tfjsRunner(model);
  return {
    ...runner,
    engine: runner.engine,
    inputNames: runner.inputNames,
    outputNames: runner.outputNames,
    run: async (inputs) => {
      await useEngine(name);
      return runner.run(inputs);
    },
  };
}

/** tfjs-cpu's value of every named tensor, for firstDivergence. */
function tfjsLayers(model: NetspecModel): LayerOutputs {
  return async (inputs, names) => {
    await useEngine('cpu');
    const feeds = Object.fromEntries(
      model.resolved.inputs.map((t) => {
        const x = inputs[t.name] as RunnerTensor;
        return [t.name, tf.tensor(x.data, x.shape, t.dtype)];
      }),
    );
    try {
      const outs = tf.tidy(() => model.forward(feeds, { outputs: names }).outputs);
      const result: Record<string, RunnerTensor> = {};
      for (const [name, t] of Object.entries(outs)) {
        const data = await t.data();
        result[name] = {
          data: t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data),
          shape: t.shape,
        };
      }
      // A pass-through layer gives the same tensor under two names: dispose once.
      tf.dispose([...new Set(Object.values(outs))]);
      return result;
    } finally {
      tf.dispose(Object.values(feeds));
    }
  };
}

async function runCase(c: Case): Promise<void> {
  const spec = specOf(c);
  await useEngine('cpu');
  const seeded = buildModel(spec, { seed: 7 });
  const weights = saveWeights(seeded);
  const bytes = exportOnnx(seeded.resolved, weights, { opset: c.opset ?? 17 });
  const inputs = inputsOf(c, 8);
  const reference = await tfjsOn('cpu', buildModel(spec, { weights }));
  const candidates = [
    await tfjsOn('wasm', buildModel(spec, { weights })),
    await createSession(bytes, { engine: 'ort-node', threads: 1 }),
    await createSession(bytes, { engine: 'ort-web' }),
  ];
  try {
    const report = await compareRunners(reference, candidates, inputs, { tolerance: TOLERANCE });
    const gap = KNOWN_GAPS[c.name];
    if (gap) {
      // Values differ by design: every engine must still run it and give the reference's shapes.
      const shapeErrors = report.rows.filter(
        (r) => r.note?.startsWith('shape') || r.note === 'missing',
      );
      expect(shapeErrors, report.table).toEqual([]);
      return;
    }
    if (!report.pass) {
      const failing = report.rows.find((r) => !r.pass && r.engine.startsWith('ort'))?.engine;
      const where = failing
        ? describeDivergence(
            await firstDivergence(
              seeded.resolved,
              weights,
              inputs,
              failing as 'ort-node' | 'ort-web',
              {
                reference: tfjsLayers(seeded),
                tolerance: TOLERANCE,
                ...(c.opset ? { opset: c.opset } : {}),
              },
            ),
          )
        : 'tfjs engines disagree';
      expect.fail(`${c.name}\n${report.table}\n${where}`);
    }
  } finally {
    for (const r of [reference, ...candidates]) await r.dispose();
    seeded.dispose();
  }
}

afterAll(async () => {
  await useEngine('cpu');
});

describe('parity: tfjs-cpu against tfjs-wasm, ort-node and ort-web at 1e-4', () => {
  it('every layer kind has a case whose spec uses it; known gaps name real cases', () => {
    for (const type of LAYER_TYPES) {
      const cases = CASES[type] ?? [];
      expect(cases.length, type).toBeGreaterThan(0);
      for (const c of cases) expect(JSON.stringify(c.layers), c.name).toContain(`"type":"${type}"`);
    }
    const names = Object.values(CASES)
      .flat()
      .map((c) => c.name);
    for (const gap of Object.keys(KNOWN_GAPS)) expect(names).toContain(gap);
  });

  describe.each(LAYER_TYPES.map((type) => ({ type })))('$type', ({ type }) => {
    it.each(CASES[type] ?? [])('$name', runCase);
  });
});
