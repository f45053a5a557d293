import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, Rng, saveWeights, tf, useEngine } from '@netspec/backend-tfjs';
import { resolveSpec } from '@netspec/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_MAX_OPSET, checkModels } from '../checker.js';
import { exportOnnx } from '../export.js';
import { CPU_TOLERANCE as TOLERANCE } from '../parity/compare.js';
import { createSession } from '../session/create.js';
import type { RunnerTensor } from '../session/runner.js';
import { BLOCK_CASES } from '../test-utils/cases/block.js';
import { GENERATIVE_CASES } from '../test-utils/cases/generative.js';
import { NORMALIZATION_CASES } from '../test-utils/cases/normalization.js';
import { RECURRENT_CASES, RECURRENT_MULTI_OUTPUT_CASES } from '../test-utils/cases/recurrent.js';
import {
  type ParityCase,
  type ParityRun,
  parityError,
  runParity,
  specOf,
} from '../test-utils/parity.js';

const CASES = [...NORMALIZATION_CASES, ...GENERATIVE_CASES, ...BLOCK_CASES, ...RECURRENT_CASES];
const dir = mkdtempSync(join(tmpdir(), 'netspec-onnx-norm-recurrent-'));
const exported = new Map<string, string>();

beforeAll(async () => {
  await useEngine('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('normalization, recurrent, generative and block families: tfjs vs onnxruntime-node and -web', () => {
  it.each(CASES)('$name', async (c) => {
    const run: ParityRun = await runParity(c);
    const path = join(dir, `${exported.size}.onnx`);
    writeFileSync(path, run.bytes);
    if ((c.opset ?? 17) <= CHECKER_MAX_OPSET) exported.set(path, c.name);
    for (const engine of ['ort-node', 'ort-web'] as const) {
      expect(run.onnx[engine].shape, engine).toEqual(run.tfjs.shape);
      expect(parityError(run.onnx[engine], run.tfjs), engine).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it.each(RECURRENT_MULTI_OUTPUT_CASES)('$name', async (c) => {
    const [ref, onnx, bytes] = await allOutputs(c);
    const path = join(dir, `${exported.size}.onnx`);
    writeFileSync(path, bytes);
    exported.set(path, c.name);
    expect(ref.length).toBeGreaterThan(1);
    for (const engine of ['ort-node', 'ort-web'] as const) {
      expect(onnx[engine].length, engine).toBe(ref.length);
      ref.forEach((r, i) => {
        const o = onnx[engine][i] as RunnerTensor;
        expect(o.shape, `${engine} output ${i}`).toEqual(r.shape);
        expect(parityError(o, r), `${engine} output ${i}`).toBeLessThanOrEqual(TOLERANCE);
      });
    }
  });

  it(`every model at opset <= ${CHECKER_MAX_OPSET} passes onnx.checker.check_model(full_check=True)`, () => {
    const checkable = CASES.filter((c) => (c.opset ?? 17) <= CHECKER_MAX_OPSET);
    expect(exported.size).toBe(checkable.length + RECURRENT_MULTI_OUTPUT_CASES.length);
    const failures = Object.entries(checkModels([...exported.keys()]))
      .filter(([, error]) => error !== null)
      .map(([path, error]) => `${exported.get(path)}: ${error}`);
    expect(failures).toEqual([]);
  });
});

/** Every output of a multi-output case on tfjs and on both engines, in the spec's order. */
async function allOutputs(
  c: ParityCase,
  seed = 7,
): Promise<[RunnerTensor[], Record<'ort-node' | 'ort-web', RunnerTensor[]>, Uint8Array]> {
  // Every output of the one layer is a model output: y, y:1, ...
  const count = resolveSpec(specOf(c)).nodes.at(-1)?.outputs.length ?? 1;
  const outputs = Array.from({ length: count }, (_, i) => (i === 0 ? 'y' : `y:${i}`));
  const model = buildModel({ ...specOf(c), outputs }, { seed });
  const bytes = exportOnnx(model.resolved, saveWeights(model), { opset: 17 });
  const rng = new Rng(seed + 1);
  const size = c.input.run.reduce((a, b) => a * b, 1);
  const x = {
    data: Float32Array.from({ length: size }, () => rng.next() * 4 - 2),
    shape: c.input.run,
  };
  const ys = model.predict(tf.tensor(x.data, x.shape));
  // Outputs may be one tensor twice (the last output is the h state): read all, then dispose.
  const ref = ys.map((t) => ({ data: t.dataSync() as Float32Array, shape: t.shape }));
  for (const t of new Set(ys)) t.dispose();
  const onnx = {} as Record<'ort-node' | 'ort-web', RunnerTensor[]>;
  for (const engine of ['ort-node', 'ort-web'] as const) {
    const runner = await createSession(bytes, { engine });
    const result = await runner.run({ x });
    onnx[engine] = runner.outputNames.map((n) => result[n] as RunnerTensor);
    await runner.dispose();
  }
  return [ref, onnx, bytes];
}
