import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// End to end: the built `netspec` binary as a child process, as a user runs it.
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}packages/cli/dist/bin.js`;
const invalidDir = `${root}packages/spec/fixtures/invalid/`;
const validDir = `${root}packages/spec/fixtures/valid/`;

function netspec(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('netspec validate', () => {
  it('accepts the example and every valid fixture', () => {
    for (const file of [
      'examples/lenet5.json',
      ...readdirSync(validDir).map((f) => `${validDir}${f}`),
    ]) {
      const r = netspec('validate', file);
      expect(r.stderr, file).toBe('');
      expect(r.code, file).toBe(0);
      expect(r.stdout).toMatch(/: valid \(/);
    }
  });

  const expected = JSON.parse(readFileSync(`${invalidDir}expected.json`, 'utf8')) as Record<
    string,
    string
  >;
  it.each(Object.entries(expected))('rejects %s with exit 2 naming %s', (file, pointer) => {
    const r = netspec('validate', `${invalidDir}${file}`);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`  ${pointer || '(root)'}  `);
    expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
  });

  it('prints issues as JSON with --json', () => {
    const r = netspec('validate', `${invalidDir}${Object.keys(expected)[0]}`, '--json');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { valid: boolean; issues: { pointer: string }[] };
    expect(doc.valid).toBe(false);
    expect(doc.issues.map((i) => i.pointer)).toContain(Object.values(expected)[0]);
  });

  it('names the file, line and column of a problem', () => {
    const r = netspec('validate', `${invalidDir}${Object.keys(expected)[0]}`);
    expect(r.stderr).toMatch(/\.json:\d+:\d+ {2}\//);
  });
});

describe('netspec summary', () => {
  it('prints a Keras-style table with totals', () => {
    const r = netspec('summary', 'examples/lenet5.json');
    expect(r.code).toBe(0);
    // LeNet-5: 156 + 2416 + 48120 + 10164 + 850 = 61706 (Keras model.summary())
    expect(r.stdout).toContain('Total params: 61,706');
    expect(r.stdout).toMatch(/c3 \(conv2d\)\s+│ \(None, 10, 10, 16\)\s+│\s+2,416 │/);
  });

  it('prints the JSON contract with --json', () => {
    const r = netspec('summary', 'examples/lenet5.json', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.totalParams).toBe(61706);
    expect(doc.trainableParams).toBe(61706);
    expect(doc.nonTrainableParams).toBe(0);
    expect(doc.layers[0]).toEqual(
      expect.objectContaining({
        id: 'c1',
        type: 'conv2d',
        outputShape: [null, 28, 28, 6],
        params: 156,
      }),
    );
  });

  it('applies --max-params', () => {
    const r = netspec('summary', 'examples/lenet5.json', '--max-params', '1000');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /\/layers\/2 {2}brings the model to 2,572 parameters, over the budget of 1,000/,
    );
  });
});

describe('netspec schema', () => {
  it('prints the committed JSON Schema', () => {
    const r = netspec('schema');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(`${root}packages/spec/netspec.schema.json`, 'utf8'));
  });
});

describe('bad usage', () => {
  it.each([
    [['validate', 'no-such-file.json'], /no-such-file\.json: no such file/],
    [['validate', 'packages'], /is a directory/],
    [['validate'], /missing required argument 'spec'/],
    [['summary', 'examples/lenet5.json', '--max-params', '-3'], /expected a positive integer/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['validate', 'examples/lenet5.json', '--frob'], /unknown option '--frob'/],
  ])('%j exits 2 with one clear message', (args, message) => {
    const r = netspec(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows the stack with --debug', () => {
    const r = netspec('validate', 'no-such-file.json', '--debug');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it('exits 0 for --help and --version', () => {
    expect(netspec('--help').code).toBe(0);
    expect(netspec('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('netspec doctor', () => {
  const doctor = (engine: string | undefined, ...args: string[]) => {
    const env = { ...process.env, NETSPEC_ENGINE: engine ?? '' };
    const r = spawnSync(process.execPath, [bin, 'doctor', ...args], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('lists every tfjs engine and the one commands use', () => {
    const r = doctor(undefined, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.engines.map((e: { name: string }) => e.name)).toEqual([
      'tfjs-node-gpu',
      'tfjs-node',
      'wasm',
      'cpu',
    ]);
    // wasm and cpu ship with netspec; the default is the fastest engine that loads.
    const available = report.engines.filter((e: { available: boolean }) => e.available);
    expect(available.map((e: { name: string }) => e.name)).toEqual(
      expect.arrayContaining(['wasm', 'cpu']),
    );
    expect(report.default).toBe(available[0].name);
    for (const e of report.engines.filter((x: { available: boolean }) => !x.available))
      expect(e.hint).toMatch(/npm install @tensorflow\//);
  });

  it('fails (exit 1) with the reason when NETSPEC_ENGINE names an engine that cannot load', () => {
    const r = doctor('no-such-engine');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error: ');
    expect(r.stdout).toContain('no-such-engine');
  });
});

describe('netspec zoo', () => {
  it('lists the presets and prints one as a spec that validates', () => {
    const list = netspec('zoo', 'list', '--json');
    expect(list.code).toBe(0);
    const names = JSON.parse(list.stdout).map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['lenet5', 'resnet50']));
    const shown = netspec('zoo', 'show', 'lenet5');
    expect(shown.code).toBe(0);
    // The preset is the repository's LeNet-5 example.
    const example = JSON.parse(readFileSync(`${root}examples/lenet5.json`, 'utf8'));
    delete example.$schema;
    expect(JSON.parse(shown.stdout)).toEqual(example);
  });

  it('takes zoo:<preset> wherever a spec path goes', () => {
    const r = netspec('summary', 'zoo:resnet50', '--json');
    expect(r.code).toBe(0);
    // torchvision's resnet50 has 25,557,032 parameters (BN running statistics are buffers).
    expect(JSON.parse(r.stdout).trainableParams).toBe(25_557_032);
  });

  it('names an unknown preset with the closest one (exit 2)', () => {
    const r = netspec('validate', 'zoo:resnet19');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown zoo preset "resnet19"');
    expect(r.stderr).toContain('did you mean "resnet18"?');
    expect(netspec('zoo', 'show', 'nope').code).toBe(2);
  });
});
