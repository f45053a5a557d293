import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSpec, writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { checkModels } from '../checker.js';
import { exportOnnx } from '../export.js';
import { decodeModel } from '../proto/codec.js';
import { createSession } from '../session/create.js';
import { attr, exportLayer, graphOf, ops } from '../test-utils/graph.js';

const N = 4000;

/** A VAE head: inputs zMean and zLogVar (N features) into a sampling layer. */
function samplingModel(seed?: number, inference?: 'mean'): Uint8Array {
  const spec = {
    specVersion: 1,
    name: 'vae',
    inputs: [
      { id: 'mean', shape: [N] },
      { id: 'logVar', shape: [N] },
    ],
    layers: [
      {
        id: 'z',
        type: 'sampling',
        inputs: ['mean', 'logVar'],
        ...(seed === undefined ? {} : { seed }),
        ...(inference ? { inference } : {}),
      },
    ],
  };
  return exportOnnx(resolveSpec(spec), writeSafetensors({}));
}

/** `runs` draws of one session. */
async function sample(
  bytes: Uint8Array,
  mean: number,
  logVar: number,
  runs = 1,
): Promise<Float32Array[]> {
  const runner = await createSession(bytes, { engine: 'ort-node' });
  const draws: Float32Array[] = [];
  for (let i = 0; i < runs; i++) {
    const out = await runner.run({
      mean: { data: new Float32Array(N).fill(mean), shape: [1, N] },
      logVar: { data: new Float32Array(N).fill(logVar), shape: [1, N] },
    });
    draws.push(out.z?.data as Float32Array);
  }
  await runner.dispose();
  return draws;
}

describe('generative emitters', () => {
  it('gaussianNoise: the identity at inference, no node but the output Identity', () => {
    const g = graphOf(exportLayer({ id: 'y', type: 'gaussianNoise', stddev: 0.3 }, [3]));
    expect(ops(g)).toEqual(['Identity']);
  });

  it('sampling: zMean + exp(0.5 · zLogVar) · RandomNormalLike(zMean); the seed carried over', () => {
    const g = graphOf(decodeModel(samplingModel(5)));
    expect(ops(g)).toEqual(['RandomNormalLike', 'Mul', 'Exp', 'Mul', 'Add']);
    expect(attr(g.node?.[0], 'seed')).toBe(5);
    expect(g.node?.at(-1)?.output).toEqual(['z']);
    const unseeded = graphOf(decodeModel(samplingModel()));
    expect(attr(unseeded.node?.[0], 'seed')).toBeUndefined();
  });

  it('sampling on onnxruntime: draws N(zMean, exp(zLogVar)), and the mean when the variance vanishes', async () => {
    const bytes = samplingModel();
    const [z, again] = (await sample(bytes, 1, Math.log(4), 2)) as [Float32Array, Float32Array]; // std 2
    const m = z.reduce((a, b) => a + b, 0) / N;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - m) ** 2, 0) / N);
    expect(m).toBeCloseTo(1, 0);
    expect(Math.abs(sd - 2)).toBeLessThan(0.15);
    // Every run draws anew.
    expect(Array.from(again)).not.toEqual(Array.from(z));
    const [tiny] = (await sample(bytes, 0.25, -60)) as [Float32Array];
    for (const v of tiny) expect(v).toBeCloseTo(0.25, 6);
  });

  it("sampling with inference: 'mean' exports z = zMean: no random op, the mean on every run", async () => {
    const bytes = samplingModel(5, 'mean');
    expect(ops(graphOf(decodeModel(bytes)))).toEqual(['Identity']);
    const [z, again] = (await sample(bytes, 0.75, Math.log(4), 2)) as [Float32Array, Float32Array];
    expect(Array.from(new Set(z))).toEqual([0.75]);
    expect(Array.from(again)).toEqual(Array.from(z));
  });

  it('sampling passes the official ONNX checker, seeded or not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netspec-sampling-'));
    const paths = [samplingModel(5), samplingModel()].map((bytes, i) => {
      const path = join(dir, `sampling-${i}.onnx`);
      writeFileSync(path, bytes);
      return path;
    });
    expect(Object.values(checkModels(paths))).toEqual([null, null]);
    rmSync(dir, { recursive: true, force: true });
  });
});
