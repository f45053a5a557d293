import { writeSafetensors } from '@netspec/spec';
import { describe, expect, it, vi } from 'vitest';
import { SessionError } from '../errors.js';
import { exportOnnx } from '../export.js';
import { createSession } from './create.js';
import * as engines from './engines.js';

// Lets a test pretend the CUDA files are installed, so onnxruntime itself is asked to load them.
const pretend = vi.hoisted(() => ({ installed: false }));
vi.mock('./engines.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./engines.js')>();
  return {
    ...real,
    ortNodeCudaProblem: () => (pretend.installed ? undefined : real.ortNodeCudaProblem()),
  };
});

const bytes = exportOnnx(
  {
    specVersion: 1,
    name: 'm',
    inputs: [{ id: 'x', shape: [3] }],
    layers: [{ id: 'y', type: 'dense', units: 2 }],
  },
  writeSafetensors({
    'y.kernel': { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, 6) },
    'y.bias': { dtype: 'F32', shape: [2], data: Float32Array.of(0.5, -0.5) },
  }),
);

// What the message must tell a user: the provider, and how onnxruntime-node installs it.
const INSTALL = /CUDA execution provider.*ONNXRUNTIME_NODE_INSTALL=cuda12/s;

async function sessionError(p: Promise<unknown>): Promise<SessionError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SessionError);
  return e as SessionError;
}

describe('createSession with provider cuda', () => {
  // This machine installs onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=skip and has no GPU.
  const problem = engines.ortNodeCudaProblem();

  it.skipIf(problem === undefined)('is a SessionError naming what to install', async () => {
    const e = await sessionError(createSession(bytes, { engine: 'ort-node', provider: 'cuda' }));
    expect(e.message).toMatch(/^ort-node: the CUDA execution provider cannot load: /);
    expect(e.message).toMatch(/libonnxruntime_providers_cuda\.so/);
    expect(e.message).toMatch(INSTALL);
    // cpu stays the default and keeps working.
    const runner = await createSession(bytes, { engine: 'ort-node', threads: 2 });
    const out = await runner.run({ x: { data: Float32Array.of(1, 0, -1), shape: [1, 3] } });
    expect(Array.from(out.y?.data ?? [])).toEqual([-3.5, -4.5]);
    await runner.dispose();
  });

  it('an onnxruntime that fails to load the provider is a SessionError, not a fallback', async () => {
    pretend.installed = true;
    try {
      const p = createSession(bytes, { engine: 'ort-node', provider: 'cuda', threads: 1 });
      if (problem === undefined) {
        // CUDA really is installed here: it either runs on the GPU or fails loudly.
        const runner = await p.catch((e: unknown) => e);
        if (runner instanceof Error) expect(runner.message).toMatch(INSTALL);
        else await (runner as { dispose(): Promise<void> }).dispose();
        return;
      }
      const e = await sessionError(p);
      expect(e.message).toMatch(/^ort-node: the CUDA execution provider did not start \(/);
      expect(e.message).toMatch(INSTALL);
    } finally {
      pretend.installed = false;
    }
  });

  it('ort-web has no CUDA, and unknown providers are errors', async () => {
    const web = await sessionError(createSession(bytes, { engine: 'ort-web', provider: 'cuda' }));
    expect(web.message).toMatch(/^ort-web: no cuda execution provider .*wasm.*ort-node/);
    const other = await sessionError(
      createSession(bytes, { engine: 'ort-node', provider: 'rocm' as 'cuda' }),
    );
    expect(other.message).toMatch(/provider: expected one of cpu, cuda, got rocm/);
  });
});
