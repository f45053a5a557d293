import type { Command } from 'commander';
import { checkSpecFile, specProblems } from '../load-spec.js';
import { type LimitFlags, limitOptions, limitsOf } from '../options.js';
import { UserError } from '../user-error.js';

export function validateCommand(program: Command) {
  const cmd = program
    .command('validate')
    .description('check a spec: schema, graph, shapes and sizes; exit 0 when valid, 2 otherwise')
    .argument('<spec>', 'a netspec JSON spec file')
    .option('--json', 'print {valid, issues} as JSON on stdout');
  for (const o of limitOptions()) cmd.addOption(o);
  cmd
    .addHelpText(
      'after',
      '\nExamples:\n  $ netspec validate examples/lenet5.json\n  $ netspec validate model.json --json',
    )
    .action(async (path: string, opts: LimitFlags & { json?: boolean }) => {
      const check = await checkSpecFile(path, limitsOf(opts));
      if (opts.json) {
        const issues = check.ok ? [] : check.issues;
        process.stdout.write(`${JSON.stringify({ valid: check.ok, issues }, null, 2)}\n`);
        if (!check.ok) process.exitCode = 2;
        return;
      }
      if (!check.ok) throw new UserError(specProblems(path, check.issues.length), check.lines);
      const m = check.model;
      process.stdout.write(
        `${path}: valid (${m.spec.name}: ${m.layers.length} layers, ${m.totalParams.toLocaleString('en-US')} parameters)\n`,
      );
    });
}
