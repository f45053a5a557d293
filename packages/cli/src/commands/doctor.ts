import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { writeSafetensors } from '@netspec/spec';
import type { Command } from 'commander';

interface EngineLine {
  name: string;
  available: boolean;
  reason?: string;
  hint?: string;
}

/** One line per engine: available, or why not and what to install. */
export function engineLines(probes: EngineLine[], chosen: string | undefined): string[] {
  return probes.map((p) => {
    if (p.available)
      return `  ${p.name.padEnd(14)} available${p.name === chosen ? ' (used by default)' : ''}`;
    return `  ${p.name.padEnd(14)} not available: ${p.reason ?? 'unknown reason'}${p.hint ? ` (${p.hint})` : ''}`;
  });
}

/** The installed version of `name` as the package `from` resolves it, or null when absent. */
function packageVersion(from: string, name: string): string | null {
  try {
    let dir = dirname(createRequire(import.meta.resolve(from)).resolve(name));
    for (; dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        if (pkg.name === name) return String(pkg.version);
      } catch {
        // No package.json at this level: keep walking up.
      }
    }
  } catch {
    // Not installed.
  }
  return null;
}

/** y = x · [1, 2] + 0.5: one dense layer, small enough to build and run in milliseconds. */
const PROBE_SPEC = {
  specVersion: 1,
  name: 'doctor-probe',
  inputs: [{ id: 'x', shape: [2] }],
  layers: [{ id: 'y', type: 'dense', units: 1 }],
};
const PROBE_WEIGHTS = () =>
  writeSafetensors({
    'y.kernel': { dtype: 'F32', shape: [2, 1], data: Float32Array.of(1, 2) },
    'y.bias': { dtype: 'F32', shape: [1], data: Float32Array.of(0.5) },
  });

const ONNX_TARGETS = [
  { name: 'ort-node cpu', engine: 'ort-node', provider: 'cpu' },
  { name: 'ort-node cuda', engine: 'ort-node', provider: 'cuda' },
  { name: 'ort-web wasm', engine: 'ort-web', provider: 'cpu' },
] as const;

/** Whether each onnxruntime engine/provider really runs a model: a session, one run, checked. */
async function probeOnnx(): Promise<EngineLine[]> {
  const { createSession, exportOnnx } = await import('@netspec/backend-onnx');
  const bytes = exportOnnx(PROBE_SPEC, PROBE_WEIGHTS());
  const lines: EngineLine[] = [];
  for (const t of ONNX_TARGETS) {
    try {
      const session = await createSession(bytes, { engine: t.engine, provider: t.provider });
      try {
        const out = await session.run({ x: { data: Float32Array.of(3, 4), shape: [1, 2] } });
        const y = Object.values(out)[0]?.data[0];
        // 3*1 + 4*2 + 0.5
        if (y !== 11.5) throw new Error(`ran, but computed ${y} where 11.5 was expected`);
      } finally {
        await session.dispose();
      }
      lines.push({ name: t.name, available: true });
    } catch (e) {
      lines.push({ name: t.name, available: false, reason: (e as Error).message });
    }
  }
  return lines;
}

/** `2 (data parallel; NETSPEC_THREADS or --threads sets it)`, or 1 and why. */
export function trainingThreadsText({ threads, reason }: { threads: number; reason?: string }) {
  if (reason) return `1 (${reason})`;
  return `${threads} (data parallel on wasm and cpu; NETSPEC_THREADS or train --threads sets it)`;
}

export function doctorCommand(program: Command) {
  program
    .command('doctor')
    .description(
      'show Node, threads, package versions, and which tfjs engines and onnxruntime providers work here',
    )
    .option(
      '--json',
      'print {node, threads, trainingThreads, packages, engines, requested, default, onnx:[{name, available, reason}]} as JSON',
    )
    .addHelpText(
      'after',
      `
Each onnxruntime provider is checked by running a one-layer model on it, so "available" means
it ran. "training threads" is how many threads netspec train uses here (NETSPEC_THREADS, else
every core, at most 8). Exit 1 when the tfjs engine asked for (NETSPEC_ENGINE) cannot load,
NETSPEC_THREADS is not a thread count, or no onnxruntime provider runs.

Examples:
  $ netspec doctor
  $ NETSPEC_ENGINE=cpu netspec doctor --json`,
    )
    .action(async (opts: { json?: boolean }) => {
      // Loaded here only: tfjs takes a moment to load, and the other commands do not need it.
      const { engineThreads, probeEngines, useEngine } = await import('@netspec/backend-tfjs');
      const engines = await probeEngines();
      // What a command would use: NETSPEC_ENGINE when set, else the first available.
      const requested = process.env.NETSPEC_ENGINE || 'auto';
      let chosen: string | undefined;
      let problem: string | undefined;
      try {
        chosen = (await useEngine()).name;
      } catch (e) {
        problem = (e as Error).message;
        process.exitCode = 1;
      }
      const onnx = await probeOnnx();
      if (!onnx.some((p) => p.available)) process.exitCode = 1;
      const packages = {
        '@tensorflow/tfjs': packageVersion('@netspec/backend-tfjs', '@tensorflow/tfjs'),
        'onnxruntime-node': packageVersion('@netspec/backend-onnx', 'onnxruntime-node'),
        'onnxruntime-web': packageVersion('@netspec/backend-onnx', 'onnxruntime-web'),
      };
      const threads = availableParallelism();
      // How many threads `netspec train` would use here (NETSPEC_THREADS, else every core).
      let training: { threads: number; reason?: string } | undefined;
      try {
        training = engineThreads();
      } catch (e) {
        problem = [problem, (e as Error).message].filter(Boolean).join('; ');
        process.exitCode = 1;
      }
      if (opts.json) {
        const report = {
          node: process.version,
          threads,
          trainingThreads: training?.threads ?? null,
          packages,
          engines,
          requested,
          default: chosen ?? null,
          problem,
          onnx,
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const lines = [
        `node ${process.version}, ${threads} threads`,
        ...(training ? [`training threads: ${trainingThreadsText(training)}`] : []),
        `packages: ${Object.entries(packages)
          .map(([n, v]) => `${n} ${v ?? 'not installed'}`)
          .join(', ')}`,
        `tfjs engines (fastest first; requested: ${requested}):`,
        ...engineLines(engines, chosen),
        'onnxruntime providers (each ran a one-layer model):',
        ...engineLines(onnx, 'ort-node cpu'),
      ];
      if (problem) lines.push(`error: ${problem}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
