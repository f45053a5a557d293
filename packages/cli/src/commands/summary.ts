import type { Command } from 'commander';
import { loadSpecFile } from '../load-spec.js';
import { type LimitFlags, limitOptions, limitsOf } from '../options.js';
import { summaryJson, summaryTable } from '../summary-table.js';

export function summaryCommand(program: Command) {
  const cmd = program
    .command('summary')
    .description('print layers, output shapes and parameter counts, like Keras model.summary()')
    .argument('<spec>', 'a netspec JSON spec file')
    .option('--json', 'print {layers:[{id,type,outputShape,params}], totalParams, ...} as JSON');
  for (const o of limitOptions()) cmd.addOption(o);
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n  $ netspec summary examples/lenet5.json\n  $ netspec summary examples/lenet5.json --json',
    )
    .action(async (path: string, opts: LimitFlags & { json?: boolean }) => {
      const model = await loadSpecFile(path, limitsOf(opts));
      const out = opts.json ? JSON.stringify(summaryJson(model), null, 2) : summaryTable(model);
      process.stdout.write(`${out}\n`);
    });
}
