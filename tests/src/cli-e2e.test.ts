import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { CPU_TOLERANCE } from '@netspec/backend-onnx';
import { dataArray, loadMnist, readNpyFile, writeNpyFile } from '@netspec/backend-tfjs';
import { describe, expect, it } from 'vitest';
import { bin, type CliResult, netspec, scratch } from './cli-harness.js';

// train -> evaluate -> export -> predict -> parity through the built binary, on real MNIST and
// on a sine series written here, each model small enough to train in seconds.

const ok = (r: CliResult, what: string) => {
  expect(r.stderr, `${what}: stderr`).not.toMatch(/error|Error/);
  expect(r.code, `${what}: exit code (stderr: ${r.stderr})`).toBe(0);
  return r;
};

/** What these tests use of TensorFlow.js's union package (not a dependency here, so no types). */
interface TfjsUnion {
  loadLayersModel(handler: { load(): Promise<object> }): Promise<{ predict(x: unknown): unknown }>;
  tensor(data: Float32Array, shape: number[]): unknown;
}
// TensorFlow.js's union package, as backend-tfjs (which depends on it) loads it.
const tfjsUnion = createRequire(createRequire(import.meta.url).resolve('@netspec/backend-tfjs'))(
  '@tensorflow/tfjs',
) as TfjsUnion;

/** Elementwise parity bar of DESIGN.md. */
function expectClose(a: ArrayLike<number>, b: ArrayLike<number>) {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++)
    expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(
      CPU_TOLERANCE * Math.max(1, Math.abs(b[i] as number)),
    );
}

const mlpSpec = {
  specVersion: 1,
  name: 'mlp-mnist',
  inputs: [{ id: 'image', shape: [28, 28, 1], dtype: 'float32' }],
  layers: [
    { id: 'flatten', type: 'flatten' },
    { id: 'hidden', type: 'dense', units: 32, activation: 'relu' },
    { id: 'probs', type: 'dense', units: 10, activation: 'softmax' },
  ],
  training: {
    loss: 'sparseCategoricalCrossentropy',
    optimizer: { type: 'adam', learningRate: 0.003 },
    metrics: ['accuracy'],
    batchSize: 32,
    epochs: 2,
    validationSplit: 0.1,
    seed: 1,
  },
};

/** An 8-bit grayscale PNG (color type 0), written by hand: the decoder must read any encoder's. */
function grayPng(pixels: ArrayLike<number>, width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, grayscale, deflate, filter 0, no interlace
  const rows = Buffer.alloc((width + 1) * height); // each row: filter byte 0, then pixels
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      rows[y * (width + 1) + 1 + x] = Math.round((pixels[y * width + x] as number) * 255);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The first `n` MNIST test images as x.npy and their labels. */
function testImages(dir: string, n: number): number[] {
  const test = loadMnist({ split: 'test', limit: n });
  writeNpyFile(join(dir, 'x.npy'), test.x.image as ReturnType<typeof dataArray>);
  return Array.from(test.y.label?.data ?? []);
}

// Each test spawns about ten CLI runs (~1 s of startup each on 2 cores): 2 minutes of slack.
describe('netspec train/evaluate/export/predict/parity', { timeout: 120_000 }, () => {
  it('an MLP on 600 MNIST digits', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'mlp.json'), JSON.stringify(mlpSpec));
    const run = join(dir, 'run');
    const train = ok(
      netspec(
        ['train', 'mlp.json', '--data', 'mnist', '--limit', '600', '--out', run, '--json'],
        dir,
      ),
      'train',
    );
    const events = train.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'epoch')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ event: 'end', aborted: false });
    for (const f of [
      'spec.json',
      'weights.safetensors',
      'history.json',
      'curves.svg',
      'labels.json',
    ])
      expect(existsSync(join(run, f)), f).toBe(true);
    const svg = readFileSync(join(run, 'curves.svg'), 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>validation<');
    expect(svg.match(/<path /g)).toHaveLength(4); // loss and accuracy, train and validation

    const evaluated = JSON.parse(
      ok(
        netspec(['evaluate', run, '--data', 'mnist:test', '--limit', '500', '--json'], dir),
        'evaluate',
      ).stdout,
    );
    expect(evaluated.metrics.accuracy).toBeGreaterThan(0.6);
    const high = netspec(
      ['evaluate', run, '--data', 'mnist:test', '--limit', '500', '--min-accuracy', '0.999'],
      dir,
    );
    expect(high.code).toBe(1);
    expect(high.stdout).toMatch(/FAIL: accuracy 0\.\d+ not >= 0\.999/);

    ok(netspec(['export', run, '-o', 'mlp.onnx'], dir), 'export');
    const onnxEval = JSON.parse(
      ok(
        netspec(['evaluate', 'mlp.onnx', '--data', 'mnist:test', '--limit', '500', '--json'], dir),
        'evaluate onnx',
      ).stdout,
    );
    expect(onnxEval.engine).toBe('ort-node');
    // Same weights, outputs within 1e-4: at most a near-tie flips one of 500 argmaxes.
    expect(Math.abs(onnxEval.metrics.accuracy - evaluated.metrics.accuracy)).toBeLessThanOrEqual(
      0.002,
    );

    const labels = testImages(dir, 5);
    ok(netspec(['predict', 'mlp.onnx', '--input', 'x.npy', '-o', 'ort.npy'], dir), 'predict ort');
    const shown = ok(
      netspec(
        ['predict', run, '--input', 'x.npy', '--engine', 'tfjs', '-o', 'tfjs.npy', '--top-k', '1'],
        dir,
      ),
      'predict tfjs',
    ).stdout;
    const ort = readNpyFile(join(dir, 'ort.npy'));
    const tfjs = readNpyFile(join(dir, 'tfjs.npy'));
    expect(ort.shape).toEqual([5, 10]);
    expectClose(ort.data, tfjs.data);
    // The printed top-1 class is the argmax of the written probabilities.
    const top1 = [...shown.matchAll(/probs\[\d\]: (\d) /g)].map((m) => Number(m[1]));
    const argmax = [0, 1, 2, 3, 4].map((i) => {
      const row = Array.from(tfjs.data.subarray(i * 10, i * 10 + 10));
      return row.indexOf(Math.max(...row));
    });
    expect(top1).toEqual(argmax);
    expect(argmax.filter((p, i) => p === labels[i]).length).toBeGreaterThanOrEqual(3);

    const parity = ok(netspec(['parity', run, '--json'], dir), 'parity');
    const report = JSON.parse(parity.stdout);
    expect(report.pass).toBe(true);
    expect(report.rows.map((r: { engine: string }) => r.engine)).toEqual(['ort-node', 'ort-web']);
  });

  it('LeNet-5: a PNG digit, NCHW export, external data and a tfjs layers model', async () => {
    const dir = scratch();
    const run = join(dir, 'run');
    ok(
      netspec(
        ['train', 'zoo:lenet5', '--data', 'mnist', '--limit', '640', '--epochs', '1', '--out', run],
        dir,
      ),
      'train',
    );
    const test = loadMnist({ split: 'test', limit: 1 });
    // MNIST pixels are bytes / 255, so the PNG holds them exactly.
    const pixels = test.x.image?.data as Float32Array;
    writeFileSync(join(dir, 'digit.png'), grayPng(pixels, 28, 28));
    ok(netspec(['export', run, '-o', 'lenet.onnx', '--external-data'], dir), 'export');
    expect(existsSync(join(dir, 'lenet.onnx.data'))).toBe(true);
    ok(
      netspec(['predict', 'lenet.onnx', '--input', 'digit.png', '-o', 'ort.json'], dir),
      'predict',
    );
    ok(
      netspec(['predict', run, '--engine', 'tfjs', '--input', 'digit.png', '-o', 'tfjs.json'], dir),
      'tfjs',
    );
    const ort = JSON.parse(readFileSync(join(dir, 'ort.json'), 'utf8')).probs;
    const tfjs = JSON.parse(readFileSync(join(dir, 'tfjs.json'), 'utf8')).probs;
    expect(ort.shape).toEqual([1, 10]);
    expectClose(ort.data, tfjs.data);

    // NCHW: the same image transposed to (1, 1, 28, 28) gives the same probabilities.
    ok(netspec(['export', run, '-o', 'nchw.onnx', '--layout', 'nchw'], dir), 'export nchw');
    writeNpyFile(join(dir, 'nchw.npy'), dataArray(Float32Array.from(pixels), [1, 1, 28, 28]));
    ok(netspec(['predict', 'nchw.onnx', '--input', 'nchw.npy', '-o', 'nchw.json'], dir), 'nchw');
    expectClose(JSON.parse(readFileSync(join(dir, 'nchw.json'), 'utf8')).probs.data, tfjs.data);
    // --format tfjs: TensorFlow.js itself loads the written files and computes the same.
    ok(netspec(['export', run, '--format', 'tfjs', '-o', 'web/model.json'], dir), 'export tfjs');
    const topology = JSON.parse(readFileSync(join(dir, 'web', 'model.json'), 'utf8'));
    const manifest = topology.weightsManifest[0];
    const layersModel = await tfjsUnion.loadLayersModel({
      load: async () => ({
        modelTopology: topology.modelTopology,
        weightSpecs: manifest.weights,
        weightData: new Uint8Array(readFileSync(join(dir, 'web', manifest.paths[0]))).buffer,
      }),
    });
    const served = layersModel.predict(tfjsUnion.tensor(pixels, [1, 28, 28, 1]));
    expectClose(await (served as { data(): Promise<Float32Array> }).data(), tfjs.data);
    const parity = ok(
      netspec(['parity', run, '--engines', 'tfjs,ort-node,ort-web'], dir),
      'parity',
    );
    expect(parity.stdout).toMatch(/ort-node\s+probs\s+\S+\s+\S+\s+yes/);
    expect(parity.stdout).toMatch(/parity: pass/);
  });

  it('an LSTM forecaster on a sine series from .npy files', () => {
    const dir = scratch();
    const data = join(dir, 'sine');
    mkdirSync(data);
    const n = 128;
    const x = new Float32Array(n * 24);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < 24; t++) x[i * 24 + t] = Math.sin((i + t) * 0.3);
      y[i] = Math.sin((i + 24) * 0.3);
    }
    writeNpyFile(join(data, 'x.npy'), dataArray(x, [n, 24, 1]));
    writeNpyFile(join(data, 'y.npy'), dataArray(y, [n, 1]));
    const run = join(dir, 'run');
    ok(
      netspec(['train', 'zoo:lstm-forecaster', '--data', data, '--epochs', '1', '--out', run], dir),
      'train',
    );
    ok(netspec(['export', run, '-o', 'lstm.onnx'], dir), 'export');
    const tfjs = JSON.parse(
      ok(netspec(['evaluate', run, '--data', data, '--json'], dir), 'eval').stdout,
    );
    const ort = JSON.parse(
      ok(netspec(['evaluate', 'lstm.onnx', '--data', data, '--json'], dir), 'eval onnx').stdout,
    );
    // tfjs reports the spec's loss (mse) and mae; onnxruntime's mse over the same data agrees.
    expect(ort.metrics.mse).toBeCloseTo(tfjs.metrics.loss, 4);
    expect(ort.metrics.mae).toBeCloseTo(tfjs.metrics.mae, 4);
    writeFileSync(
      join(dir, 'window.json'),
      JSON.stringify({ series: [Array.from(x.subarray(0, 24), (v) => [v])] }),
    );
    const a = JSON.parse(
      ok(netspec(['predict', 'lstm.onnx', '--input', 'window.json', '--json'], dir), 'p').stdout,
    );
    const b = JSON.parse(
      ok(
        netspec(['predict', run, '--engine', 'tfjs', '--input', 'window.json', '--json'], dir),
        'p',
      ).stdout,
    );
    expect(a.outputs[Object.keys(a.outputs)[0] as string].shape).toEqual([1, 1]);
    expectClose(
      Object.values<{ data: number[] }>(a.outputs)[0]?.data ?? [],
      Object.values<{ data: number[] }>(b.outputs)[0]?.data ?? [1, 2],
    );
    ok(netspec(['parity', run], dir), 'parity');
  });

  it('a small GPT on Moby Dick: train, evaluate, export with a KV cache, predict, parity, generate', () => {
    const dir = scratch();
    const sizes = ['vocabularySize=83', 'contextLength=32', 'layers=2', 'heads=2', 'width=32'];
    const spec = ok(
      netspec(['zoo', 'show', 'gpt-nano', ...sizes.flatMap((s) => ['--set', s])], dir),
      'zoo show',
    ).stdout;
    writeFileSync(join(dir, 'gpt.json'), spec);
    const run = join(dir, 'run');
    const trainFlags = ['--limit', '600', '--epochs', '3', '--batch-size', '16', '--seed', '1'];
    ok(
      netspec(['train', 'gpt.json', '--data', 'moby-dick', ...trainFlags, '--out', run], dir),
      'train',
    );
    const history = JSON.parse(readFileSync(join(run, 'history.json'), 'utf8')) as {
      loss: number;
    }[];
    // The loss falls from about ln 83 = 4.42 nats/char (uniform over the characters).
    expect(history.at(-1)?.loss).toBeLessThan((history[0]?.loss ?? 0) - 0.2);
    expect(existsSync(join(run, 'tokenizer.json'))).toBe(true);
    const evaluated = JSON.parse(
      ok(
        netspec(
          ['evaluate', run, '--data', 'moby-dick:validation', '--limit', '64', '--json'],
          dir,
        ),
        'evaluate',
      ).stdout,
    );
    expect(evaluated.metrics.loss).toBeLessThan(Math.log(83));
    ok(netspec(['export', run, '-o', 'gpt.onnx', '--kv-cache'], dir), 'export --kv-cache');
    ok(netspec(['export', run, '-o', 'plain.onnx'], dir), 'export');
    writeFileSync(join(dir, 'tokenizer.json'), readFileSync(join(run, 'tokenizer.json')));
    // Logits of a prompt's ids on tfjs and on onnxruntime (the plain export).
    const ids = [22, 57, 68, 68, 1, 69, 61];
    writeFileSync(join(dir, 'ids.json'), JSON.stringify({ input_ids: [ids] }));
    const predict = (...args: string[]) =>
      JSON.parse(
        ok(netspec(['predict', ...args, '--input', 'ids.json', '--json'], dir), 'predict').stdout,
      ).outputs.logits as { shape: number[]; data: number[] };
    const tfjs = predict(run, '--engine', 'tfjs');
    expect(tfjs.shape).toEqual([1, ids.length, 83]);
    expectClose(predict('plain.onnx', '--engine', 'ort-node').data, tfjs.data);
    ok(netspec(['parity', run], dir), 'parity');
    // Greedy generation: the same text on tfjs (run dir) and onnxruntime (the KV-cache export).
    const generate = (source: string, engine: string) =>
      ok(
        netspec(
          ['generate', source, '--prompt', 'Call me', '--max-new-tokens', '24', '--engine', engine],
          dir,
        ),
        `generate ${engine}`,
      ).stdout;
    const text = generate(run, 'tfjs');
    expect(text.length).toBeGreaterThan('Call me'.length);
    expect(generate('gpt.onnx', 'ort-node')).toBe(text);
  });

  it('parity exits 1 past the tolerance and names the first diverging layer', () => {
    // sampling draws onnxruntime's own random numbers (a documented gap): it must be caught.
    const dir = scratch();
    const spec = {
      specVersion: 1,
      name: 'sampler',
      inputs: [{ id: 'x', shape: [4] }],
      layers: [
        { id: 'mean', type: 'dense', units: 3 },
        { id: 'logVar', type: 'dense', units: 3, inputs: ['x'] },
        { id: 'z', type: 'sampling', inputs: ['mean', 'logVar'] },
        { id: 'out', type: 'dense', units: 2 },
      ],
    };
    writeFileSync(join(dir, 'sampler.json'), JSON.stringify(spec));
    const r = netspec(['parity', 'sampler.json', '--engines', 'tfjs,ort-node'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ort-node\s+out\s+\S+\s+\S+\s+NO/);
    expect(r.stdout).toMatch(
      /parity: FAIL\nort-node: first divergent layer: z \(sampling\), tensor z/,
    );
  });

  it('Ctrl-C checkpoints, and --resume ends with the same weights as an uninterrupted run', async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'mlp.json'),
      JSON.stringify({ ...mlpSpec, training: { ...mlpSpec.training, epochs: 3 } }),
    );
    const args = ['train', 'mlp.json', '--data', 'mnist', '--limit', '2000'];
    // Interrupt once the first batch has trained.
    const child = spawn(process.execPath, [bin, ...args, '--out', 'stopped', '--json'], {
      cwd: dir,
    });
    let out = '';
    const code = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('"event":"batch"') && !child.killed) child.kill('SIGINT');
      });
      child.on('close', resolve);
    });
    expect(code).toBe(130);
    expect(out).toContain('resume with: netspec train --resume stopped');
    const state = JSON.parse(readFileSync(join(dir, 'stopped', 'state.json'), 'utf8'));
    expect(state.loop.done).toBe(false);
    ok(netspec(['train', '--resume', 'stopped'], dir), 'resume');
    ok(netspec([...args, '--out', 'straight'], dir), 'straight');
    const weights = (d: string) => readFileSync(join(dir, d, 'weights.safetensors'));
    expect(weights('stopped').equals(weights('straight'))).toBe(true);
  });
});
