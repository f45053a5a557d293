import { validateSpec } from '@netspec/spec';
import { buildPreset, describeOption, PRESETS, PresetOptionError } from '@netspec/zoo';
import { type Command, InvalidArgumentError } from 'commander';
import { issueLines, zooSpecText } from '../load-spec.js';
import { UserError } from '../user-error.js';

/** `key=value` (repeatable `--set`), collected into a record; a later key wins. */
export function keyValue(value: string, previous: Record<string, string> = {}) {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError(`expected key=value (like layers=2), got "${value}"`);
  return { ...previous, [value.slice(0, at).trim()]: value.slice(at + 1) };
}

/** A preset's spec with `overrides` applied, checked like any spec; bad options are exit 2. */
function presetText(name: string, overrides: Record<string, string>): string {
  if (Object.keys(overrides).length === 0) return zooSpecText(name);
  zooSpecText(name); // an unknown preset gets the same message with or without --set
  let spec: unknown;
  try {
    spec = buildPreset(name, overrides);
  } catch (e) {
    if (e instanceof PresetOptionError) throw new UserError(`--set: ${e.message}`);
    throw e;
  }
  const text = `${JSON.stringify(spec, null, 2)}\n`;
  const check = validateSpec(spec);
  if (!check.ok)
    throw new UserError(
      `--set: ${name} with ${JSON.stringify(overrides)} is not a valid spec:`,
      issueLines(`zoo:${name}`, text, check.issues),
    );
  return text;
}

export function zooCommand(program: Command) {
  const zoo = program
    .command('zoo')
    .description('ready-made specs: list the presets, print one (use zoo:<preset> as a spec path)');
  zoo
    .command('list')
    .description('the presets, one per line with what it is and the options --set takes')
    .option('--json', 'print [{name, description, options:[{name, type, default, doc}]}] as JSON')
    .addHelpText('after', '\nExample:\n  $ netspec zoo list')
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const rows = PRESETS.map((p) => ({
          name: p.name,
          description: p.description,
          options: p.options,
        }));
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const width = Math.max(...PRESETS.map((p) => p.name.length));
      const lines = PRESETS.flatMap((p) => [
        `${p.name.padEnd(width)}  ${p.description}`,
        ...(p.options.length
          ? [`${' '.repeat(width)}  --set ${p.options.map((o) => o.name).join(', ')}`]
          : []),
      ]);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  zoo
    .command('show')
    .description("print a preset's spec JSON, optionally with options overridden")
    .argument('<preset>', 'a preset name (netspec zoo list)')
    .option('--set <key=value>', 'override a preset option (repeatable)', keyValue)
    .option('--options', "list the preset's options (type, default, what it does) instead")
    .addHelpText(
      'after',
      `
Examples:
  $ netspec zoo show lenet5 > lenet.json
  $ netspec zoo show gpt-nano --set vocabularySize=96 --set contextLength=128 > gpt.json
  $ netspec zoo show gpt-nano --options
  $ netspec summary zoo:resnet50`,
    )
    .action((name: string, opts: { set?: Record<string, string>; options?: boolean }) => {
      if (opts.options) {
        zooSpecText(name);
        const preset = PRESETS.find((p) => p.name === name);
        const options = preset?.options ?? [];
        const pad = Math.max(0, ...options.map((o) => o.name.length));
        const rows = options.map(
          (o) =>
            `${o.name.padEnd(pad)}  ${describeOption(o)}${o.default === undefined ? '' : `, default ${JSON.stringify(o.default)}`}: ${o.doc}`,
        );
        process.stdout.write(rows.length ? `${rows.join('\n')}\n` : `${name} has no options\n`);
        return;
      }
      process.stdout.write(presetText(name, opts.set ?? {}));
    });
}
