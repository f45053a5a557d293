import { type JsonOptions, parseJson, validateSpec } from '@netspec/spec';
import type { Command } from 'commander';
import { kerasModelConfig, kerasToSpec } from '../convert/from-keras.js';
import { specToKeras } from '../convert/to-keras.js';
import { issueLines, readTextFile, specProblems, ZOO_PREFIX, zooSpecText } from '../load-spec.js';
import { checkOutputFile, writeOutput } from '../output-path.js';
import { UserError } from '../user-error.js';

const JSON_OPTIONS: JsonOptions = { maxDepth: 64 };
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A netspec spec has `layers` with `type`; a Keras model.json has modelTopology or class_name. */
function formatOf(doc: unknown): 'netspec' | 'keras' | undefined {
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc.layers) && doc.layers.some((l) => isObject(l) && 'type' in l))
    return 'netspec';
  if (kerasModelConfig(doc)) return 'keras';
  return undefined;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function convertCommand(program: Command) {
  program
    .command('convert')
    .description(
      'convert a spec to a TensorFlow.js/Keras model.json topology, or one back to a spec',
    )
    .argument(
      '<in>',
      'a netspec spec (or zoo:<preset>), or a layers-model model.json / Keras model JSON',
    )
    .requiredOption('-o, --out <file>', 'where to write the converted JSON')
    .addHelpText(
      'after',
      `
The direction follows the content: a netspec spec (layers with "type") becomes a Keras
model.json (Sequential when the layers form a chain, else a functional Model); a Keras
model.json (modelTopology or class_name) becomes a netspec spec. Topology only: weights are
not converted. Every layer that does not map is listed with the reason.

Examples:
  $ netspec zoo show lenet5 > lenet.json
  $ netspec convert lenet.json -o lenet.model.json
  $ netspec convert lenet.model.json -o lenet.roundtrip.json`,
    )
    .action(async (path: string, opts: { out: string }) => {
      await checkOutputFile(opts.out, '--out');
      const text = path.startsWith(ZOO_PREFIX)
        ? zooSpecText(path.slice(ZOO_PREFIX.length))
        : await readTextFile(path, 'a netspec spec or a Keras model.json');
      const parsed = parseJson(text, JSON_OPTIONS);
      if (!parsed.ok)
        throw new UserError(`${path}: not valid JSON`, issueLines(path, text, parsed.issues));
      const format = formatOf(parsed.value);
      if (!format)
        throw new UserError(
          `${path}: unknown format; expected a netspec spec (layers with "type") or a Keras model.json (modelTopology or class_name)`,
        );
      if (format === 'netspec') {
        const check = validateSpec(parsed.value);
        if (!check.ok)
          throw new UserError(
            specProblems(path, check.issues.length),
            issueLines(path, text, check.issues),
          );
        const r = specToKeras(check.model);
        if (!r.ok)
          throw new UserError(
            `${path}: does not map to Keras (${plural(r.problems.length, 'problem')}):`,
            r.problems,
          );
        await writeOutput(opts.out, `${JSON.stringify(r.doc, null, 2)}\n`);
        const kind = (r.doc.modelTopology as { model_config: { class_name: string } }).model_config
          .class_name;
        process.stdout.write(
          `${opts.out}: Keras ${kind} "${check.model.spec.name}" (${plural(check.model.nodes.length, 'layer')}, ${check.model.totalParams.toLocaleString('en-US')} parameters; topology only)\n`,
        );
        return;
      }
      const r = kerasToSpec(parsed.value as Record<string, unknown>);
      if (!r.ok)
        throw new UserError(
          `${path}: ${plural(r.problems.length, 'problem')} converting to netspec:`,
          r.problems,
        );
      const specText = `${JSON.stringify(r.spec, null, 2)}\n`;
      const check = validateSpec(r.spec);
      if (!check.ok)
        throw new UserError(
          `${path}: the converted spec is not valid (${plural(check.issues.length, 'problem')}):`,
          issueLines(opts.out, specText, check.issues),
        );
      await writeOutput(opts.out, specText);
      process.stdout.write(
        `${opts.out}: netspec spec "${check.model.spec.name}" (${plural(check.model.nodes.length, 'layer')}, ${check.model.totalParams.toLocaleString('en-US')} parameters)\n`,
      );
    });
}
