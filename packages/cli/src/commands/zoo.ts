import { PRESETS } from '@netspec/zoo';
import type { Command } from 'commander';
import { zooSpecText } from '../load-spec.js';

export function zooCommand(program: Command) {
  const zoo = program
    .command('zoo')
    .description('ready-made specs: list the presets, print one (use zoo:<preset> as a spec path)');
  zoo
    .command('list')
    .description('the presets, one per line with what it is')
    .option('--json', 'print [{name, description}] as JSON')
    .addHelpText('after', '\nExample:\n  $ netspec zoo list')
    .action((opts: { json?: boolean }) => {
      const rows = PRESETS.map((p) => ({ name: p.name, description: p.description }));
      const width = Math.max(...rows.map((r) => r.name.length));
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(rows, null, 2)}\n`
          : `${rows.map((r) => `${r.name.padEnd(width)}  ${r.description}`).join('\n')}\n`,
      );
    });
  zoo
    .command('show')
    .description("print a preset's spec JSON")
    .argument('<preset>', 'a preset name (netspec zoo list)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ netspec zoo show lenet5 > lenet.json\n  $ netspec summary zoo:resnet50',
    )
    .action((name: string) => {
      process.stdout.write(zooSpecText(name));
    });
}
