// Shared by the example scripts: engine choice, progress lines, results files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type EngineName, useEngine } from '../engine.js';
import type { BatchEvent, EpochEvent } from '../train/loop.js';

export interface ExampleArgs {
  engine: EngineName | 'auto';
  out: string;
  epochs?: number;
  limit?: number;
}

export async function setUp(name: string): Promise<ExampleArgs> {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'auto' },
      out: { type: 'string', default: join('runs', name) },
      epochs: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  const info = await useEngine(values.engine as EngineName | 'auto');
  process.stderr.write(`${name}: engine ${info.name} (tfjs ${info.version})\n`);
  return {
    engine: info.name,
    out: values.out,
    ...(values.epochs ? { epochs: Number(values.epochs) } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
  };
}

const fmt = (logs: Record<string, number>) =>
  Object.entries(logs)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`)
    .join(', ');

/** One line per epoch and a line every `every` batches, on stderr. */
export function progress(every = 100) {
  return {
    onBatch: (e: BatchEvent) => {
      if (e.batch % every === 0)
        process.stderr.write(
          `  epoch ${e.epoch + 1}/${e.epochs} batch ${e.batch + 1}/${e.batches}: ${fmt(e.logs)}, ${e.samplesPerSecond.toFixed(0)} samples/s\n`,
        );
    },
    onEpoch: (e: EpochEvent) =>
      process.stderr.write(
        `epoch ${e.epoch + 1}/${e.epochs} (${e.seconds.toFixed(1)} s): ${fmt(e.logs)}\n`,
      ),
  };
}

export async function writeResult(dir: string, result: object): Promise<void> {
  await mkdir(dir, { recursive: true });
  const text = `${JSON.stringify(result, null, 2)}\n`;
  await writeFile(join(dir, 'result.json'), text);
  process.stdout.write(text);
}
