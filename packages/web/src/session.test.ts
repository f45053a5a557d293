import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createWebSession, WebSessionError } from './session.js';

// In Node, onnxruntime-web is its wasm build and there is no navigator.gpu: the WebGPU request
// falls back, which is the path a browser without WebGPU takes. Chromium runs src/browser/.
const lenet = new Uint8Array(readFileSync(new URL('../demo/public/lenet5.onnx', import.meta.url)));

describe('createWebSession', () => {
  it('falls back to wasm with the reason, and runs', async () => {
    const runner = await createWebSession(lenet, { source: 'lenet5.onnx' });
    expect(runner.provider).toBe('wasm');
    expect(runner.engine).toBe('ort-web/wasm');
    expect(runner.fallback).toMatch(/no navigator\.gpu/);
    // Node's onnxruntime-web logs to stderr, so placement is only known in a browser.
    expect(runner.placement).toEqual([]);
    expect(runner.cpuNodes).toEqual([]);
    const out = await runner.run({ image: { data: new Float32Array(784), shape: [1, 28, 28, 1] } });
    const probs = Array.from(out.probs?.data ?? []);
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(runner.lastRunMs).toBeGreaterThan(0);
    await expect(runner.run({ x: { data: new Float32Array(1), shape: [1] } })).rejects.toThrow(
      'inputs: expected image; missing [image], unexpected [x]',
    );
    await expect(
      runner.run({ image: { data: new Float32Array(3), shape: [1, 28, 28, 1] } }),
    ).rejects.toThrow('input "image": 3 values for shape [1, 28, 28, 1]');
    await runner.dispose();
    await expect(runner.run({})).rejects.toThrow('ort-web/wasm: the runner was disposed');
  });

  it('refuses bad options and bytes with one clear error', async () => {
    await expect(createWebSession(lenet, { provider: 'webgl' as 'wasm' })).rejects.toThrow(
      'provider: expected one of webgpu, wasm, got webgl',
    );
    await expect(createWebSession(new Uint8Array(), { source: 'a.onnx' })).rejects.toThrow(
      'a.onnx: expected the bytes of an .onnx file, got an empty file',
    );
    await expect(createWebSession(lenet, { fallback: false })).rejects.toThrow(
      /^model: webgpu: this browser exposes no navigator\.gpu/,
    );
    const foreign = new TextEncoder().encode('{"specVersion": 1}');
    const error = await createWebSession(foreign, { provider: 'wasm', source: 'spec.json' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WebSessionError);
    expect((error as Error).message).toMatch(
      /^spec\.json: onnxruntime-web could not load the model: /,
    );
  });
});
