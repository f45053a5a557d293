import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, Rng, saveWeights, tf, useEngine } from '@netspec/backend-tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_MAX_OPSET, checkModels } from '../checker.js';
import { exportOnnx } from '../export.js';
import { CPU_TOLERANCE as TOLERANCE } from '../parity/compare.js';
import { createSession } from '../session/create.js';
import type { RunnerTensor } from '../session/runner.js';
import { CONV_CASES } from '../test-utils/cases/conv.js';
import { MERGE_CASES, type MultiLayerCase } from '../test-utils/cases/merge.js';
import { POOLING_CASES } from '../test-utils/cases/pooling.js';
import { type ParityCase, parityError } from '../test-utils/parity.js';

const dir = mkdtempSync(join(tmpdir(), 'netspec-onnx-mcp-'));
const exported = new Map<string, string>();

beforeAll(async () => {
  await useEngine('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const multi = (c: ParityCase | MultiLayerCase): MultiLayerCase =>
  'layers' in c ? c : { ...c, layers: [c.layer] };

/** Builds the case on tfjs (seeded weights), exports it, and compares both onnxruntime engines. */
async function check(pc: ParityCase | MultiLayerCase, seed = 7) {
  const c = multi(pc);
  const spec = {
    specVersion: 1,
    name: 'parity',
    inputs: [{ id: 'x', shape: c.input.shape, dtype: c.input.dtype ?? 'float32' }],
    layers: c.layers,
  };
  const model = buildModel(spec, { seed });
  const bytes = exportOnnx(model.resolved, saveWeights(model), { opset: c.opset ?? 17 });
  const rng = new Rng(seed + 1);
  const size = c.input.run.reduce((a, b) => a * b, 1);
  const x: RunnerTensor = {
    data:
      c.input.dtype === 'int32'
        ? Int32Array.from({ length: size }, () => Math.floor(rng.next() * 200 - 100))
        : Float32Array.from({ length: size }, () => rng.next() * 4 - 2),
    shape: c.input.run,
  };
  const [y] = model.predict(tf.tensor(x.data, x.shape, c.input.dtype ?? 'float32'));
  const out = y as tf.Tensor;
  const ref = { data: out.dataSync() as Float32Array | Int32Array, shape: out.shape };
  out.dispose();
  const path = join(dir, `${exported.size}.onnx`);
  writeFileSync(path, bytes);
  if ((c.opset ?? 17) <= CHECKER_MAX_OPSET) exported.set(path, c.name);
  for (const engine of ['ort-node', 'ort-web'] as const) {
    const runner = await createSession(bytes, { engine });
    const result = await runner.run({ x });
    const got = result[runner.outputNames[0] as string] as RunnerTensor;
    await runner.dispose();
    expect(got.shape, engine).toEqual(ref.shape);
    expect(parityError(got, ref), engine).toBeLessThanOrEqual(TOLERANCE);
  }
}

const families = { merge: MERGE_CASES, pooling: POOLING_CASES, conv: CONV_CASES } as const;
const all: (ParityCase | MultiLayerCase)[] = Object.values(families).flat();

for (const [family, cases] of Object.entries(families)) {
  describe(`${family} family: tfjs vs onnxruntime-node and -web`, () => {
    it.each(cases as (ParityCase | MultiLayerCase)[])('$name', (c) => check(c));
  });
}

describe('merge, conv and pooling models', () => {
  it(`every model at opset <= ${CHECKER_MAX_OPSET} passes onnx.checker.check_model(full_check=True)`, () => {
    const checkable = all.filter((c) => (c.opset ?? 17) <= CHECKER_MAX_OPSET);
    expect(exported.size).toBe(checkable.length);
    const failures = Object.entries(checkModels([...exported.keys()]))
      .filter(([, error]) => error !== null)
      .map(([path, error]) => `${exported.get(path)}: ${error}`);
    expect(failures).toEqual([]);
  });
});
