import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useEngine } from '@netspec/backend-tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKER_MAX_OPSET, checkModels } from '../checker.js';
import { CPU_TOLERANCE as TOLERANCE } from '../parity/compare.js';
import { CORE_CASES } from '../test-utils/cases/core.js';
import { type ParityRun, parityError, runParity } from '../test-utils/parity.js';

const dir = mkdtempSync(join(tmpdir(), 'netspec-onnx-core-'));
const exported = new Map<string, string>();

beforeAll(async () => {
  await useEngine('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('core family: tfjs vs onnxruntime-node and -web', () => {
  it.each(CORE_CASES)('$name', async (c) => {
    const run: ParityRun = await runParity(c);
    const path = join(dir, `${exported.size}.onnx`);
    writeFileSync(path, run.bytes);
    if ((c.opset ?? 17) <= CHECKER_MAX_OPSET) exported.set(path, c.name);
    for (const engine of ['ort-node', 'ort-web'] as const) {
      expect(run.onnx[engine].shape, engine).toEqual(run.tfjs.shape);
      expect(parityError(run.onnx[engine], run.tfjs), engine).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it(`every model at opset <= ${CHECKER_MAX_OPSET} passes onnx.checker.check_model(full_check=True)`, () => {
    const checkable = CORE_CASES.filter((c) => (c.opset ?? 17) <= CHECKER_MAX_OPSET);
    expect(exported.size).toBe(checkable.length);
    const failures = Object.entries(checkModels([...exported.keys()]))
      .filter(([, error]) => error !== null)
      .map(([path, error]) => `${exported.get(path)}: ${error}`);
    expect(failures).toEqual([]);
  });
});
