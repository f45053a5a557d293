import { Command, CommanderError } from 'commander';
import { benchCommand } from './commands/bench.js';
import { convertCommand } from './commands/convert.js';
import { doctorCommand } from './commands/doctor.js';
import { evaluateCommand } from './commands/evaluate.js';
import { exportCommand } from './commands/export.js';
import { generateCommand } from './commands/generate.js';
import { parityCommand } from './commands/parity.js';
import { predictCommand } from './commands/predict.js';
import { schemaCommand } from './commands/schema.js';
import { summaryCommand } from './commands/summary.js';
import { trainCommand } from './commands/train.js';
import { validateCommand } from './commands/validate.js';
import { zooCommand } from './commands/zoo.js';
import { EXIT_USAGE, UserError } from './user-error.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('netspec')
    .description(
      'Write a neural network once as a JSON spec; validate, summarize, train, export and run it.',
    )
    .version(VERSION)
    .option('--debug', 'show stack traces of errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const add of [validateCommand, summaryCommand, schemaCommand, doctorCommand, zooCommand])
    add(program);
  for (const add of [trainCommand, evaluateCommand, exportCommand, predictCommand, parityCommand])
    add(program);
  for (const add of [convertCommand, benchCommand, generateCommand]) add(program);
  // Subcommands (zoo list) need the same: usage errors exit 2, never a process.exit.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const cmd of all(program).slice(1))
    cmd.exitOverride().showHelpAfterError('(run with --help for usage)');
  return program;
}

/** Runs the CLI; returns the exit code. User errors print one message, never a stack trace. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message already; help and version are not errors.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const debug = argv.includes('--debug');
    if (e instanceof UserError) {
      process.stderr.write(`error: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
      if (debug) process.stderr.write(`${e.stack}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      debug
        ? `${(e as Error).stack}\n`
        : `internal error: ${(e as Error).message} (run with --debug for details; please report it)\n`,
    );
    return 70;
  }
}
