import { specJsonSchemaText } from '@netspec/spec';
import type { Command } from 'commander';

export function schemaCommand(program: Command) {
  program
    .command('schema')
    .description('print the JSON Schema of spec files (for editors: "$schema" in a spec)')
    .addHelpText('after', '\nExample:\n  $ netspec schema > netspec.schema.json')
    .action(() => {
      process.stdout.write(specJsonSchemaText());
    });
}
