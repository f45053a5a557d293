import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ENGINE_ORDER,
  EngineError,
  engine,
  nativeFailure,
  probeEngines,
  useEngine,
} from './engine.js';
import { registerWasmKernels } from './kernels/register.js';
import { tf } from './tf.js';

const require = createRequire(import.meta.url);
const installed = (pkg: string) => {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
};
const nativeAbsent = !installed('@tensorflow/tfjs-node') && !installed('@tensorflow/tfjs-node-gpu');

/** The error `promise` rejects with. */
async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('useEngine', () => {
  afterEach(() => {
    delete process.env.NETSPEC_ENGINE;
  });

  it('tries the engines fastest first', () => {
    expect(ENGINE_ORDER).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it.runIf(nativeAbsent)('auto takes wasm when tfjs-node is absent, and says why', async () => {
    const info = await useEngine('auto');
    expect(info).toMatchObject({ name: 'wasm', backend: 'wasm', version: tf.version_core });
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(1);
    expect(info.notes.join('\n')).toContain('tfjs-node skipped: the package is not installed');
    expect(tf.getBackend()).toBe('wasm');
    expect(engine()).toEqual(info);
  });

  it.runIf(nativeAbsent)('a named engine that is absent throws, naming the fix', async () => {
    await useEngine('cpu');
    const error = await failure(useEngine('tfjs-node'));
    expect(error.attempts).toEqual([
      {
        name: 'tfjs-node',
        reason: 'the package is not installed',
        hint: 'npm install @tensorflow/tfjs-node',
      },
    ]);
    expect(error.message).toBe(
      'engine "tfjs-node" could not be used:\n' +
        '  tfjs-node: the package is not installed (npm install @tensorflow/tfjs-node)',
    );
    // No fallback: the engine in use stays what it was.
    expect(engine()?.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('explains a native package whose addon does not load', () => {
    const why = nativeFailure(
      '@tensorflow/tfjs-node',
      true,
      new Error('libtensorflow.so.2: no such file'),
    );
    expect(why.reason).toBe(
      'present but its native addon did not load: libtensorflow.so.2: no such file',
    );
    expect(why.hint).toContain('@tensorflow/tfjs-node');
  });

  it('cpu is always there', async () => {
    const info = await useEngine('cpu');
    expect(info).toMatchObject({ name: 'cpu', backend: 'cpu', threads: 1 });
    expect(tf.getBackend()).toBe('cpu');
    expect(engine()?.name).toBe('cpu');
  });

  it('wasm registers the training kernels once', async () => {
    await useEngine('wasm');
    await useEngine('wasm');
    expect(registerWasmKernels()).toEqual([]);
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
  });

  it('reads NETSPEC_ENGINE when no engine is named', async () => {
    process.env.NETSPEC_ENGINE = 'cpu';
    expect((await useEngine()).name).toBe('cpu');
    // A named engine wins over the variable.
    expect((await useEngine('wasm')).name).toBe('wasm');
    process.env.NETSPEC_ENGINE = 'nonsense';
    const error = await failure(useEngine());
    expect(error.message).toContain('unknown engine "nonsense" (from NETSPEC_ENGINE)');
  });

  it('rejects an unknown engine name', async () => {
    const error = await failure(useEngine('webgpu' as never));
    expect(error.message).toBe(
      'unknown engine "webgpu": expected auto, tfjs-node-gpu, tfjs-node, wasm, cpu',
    );
  });
});

describe('probeEngines', () => {
  it('reports every engine and leaves the current one selected', async () => {
    await useEngine('cpu');
    const probes = await probeEngines();
    expect(probes.map((p) => p.name)).toEqual([...ENGINE_ORDER]);
    expect(probes.find((p) => p.name === 'wasm')).toEqual({ name: 'wasm', available: true });
    expect(probes.find((p) => p.name === 'cpu')).toEqual({ name: 'cpu', available: true });
    if (nativeAbsent)
      expect(probes.find((p) => p.name === 'tfjs-node-gpu')).toEqual({
        name: 'tfjs-node-gpu',
        available: false,
        reason: 'the package is not installed',
        hint: 'npm install @tensorflow/tfjs-node-gpu',
      });
    expect(tf.getBackend()).toBe('cpu');
    expect(engine()?.name).toBe('cpu');
  });
});
