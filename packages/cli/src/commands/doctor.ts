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

export function doctorCommand(program: Command) {
  program
    .command('doctor')
    .description('show the Node version and which training engines load here, fastest first')
    .option('--json', 'print {node, engines:[{name, available, reason, hint}], default} as JSON')
    .addHelpText('after', '\nExample:\n  $ netspec doctor')
    .action(async (opts: { json?: boolean }) => {
      // Loaded here only: tfjs takes a moment to load, and the other commands do not need it.
      const { probeEngines, useEngine } = await import('@netspec/backend-tfjs');
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
      if (opts.json) {
        const report = {
          node: process.version,
          engines,
          requested,
          default: chosen ?? null,
          problem,
        };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const lines = [
        `node ${process.version}`,
        `tfjs engines (fastest first; requested: ${requested}):`,
        ...engineLines(engines, chosen),
      ];
      if (problem) lines.push(`error: ${problem}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
