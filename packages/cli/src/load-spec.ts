import { readFile, stat } from 'node:fs/promises';
import {
  didYouMean,
  formatIssue,
  type Limits,
  pointerLocator,
  type ResolvedModel,
  type SpecIssue,
  validateSpecText,
} from '@netspec/spec';
import { isPresetName, PRESET_NAMES, preset } from '@netspec/zoo';
import { UserError } from './user-error.js';

/** No real spec comes near this; a larger file is refused before it is read. */
const MAX_SPEC_BYTES = 64 * 1024 * 1024;

export type SpecCheck =
  | { ok: true; model: ResolvedModel }
  | { ok: false; issues: SpecIssue[]; lines: string[] };

/** Reads a file the user named, with one clear error for each way that can fail. */
export async function readTextFile(
  path: string,
  what: string,
  maxBytes = MAX_SPEC_BYTES,
): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(
      code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code})`,
    );
  }
  if (info.isDirectory()) throw new UserError(`${path}: is a directory; expected ${what}`);
  if (!info.isFile()) throw new UserError(`${path}: not a regular file; expected ${what}`);
  if (info.size > maxBytes) {
    throw new UserError(
      `${path}: ${info.size} bytes; expected ${what} of at most ${maxBytes} bytes`,
    );
  }
  const bytes = await readFile(path);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: not UTF-8 text; expected ${what}`);
  }
}

/** `file:line:col  /pointer  message` for each issue, so editors can jump to it. */
export function issueLines(path: string, text: string, issues: SpecIssue[]): string[] {
  const locate = pointerLocator(text);
  return issues.map((issue) => {
    const at = locate(issue.pointer);
    return `${path}${at ? `:${at.line}:${at.column}` : ''}  ${formatIssue(issue)}`;
  });
}

/** `zoo:<preset>` names a zoo preset wherever a spec file is expected. */
export const ZOO_PREFIX = 'zoo:';

/** The JSON text of a zoo preset, or a UserError naming the known presets. */
export function zooSpecText(name: string): string {
  if (!isPresetName(name)) {
    const near = didYouMean(name, [...PRESET_NAMES]);
    throw new UserError(
      `unknown zoo preset "${name}"; expected one of ${PRESET_NAMES.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`,
    );
  }
  return `${JSON.stringify(preset(name), null, 2)}\n`;
}

/** Validates a spec file; problems come back as data so `validate --json` can print them. */
export async function checkSpecFile(
  path: string,
  limits: Partial<Limits> = {},
): Promise<SpecCheck> {
  const text = path.startsWith(ZOO_PREFIX)
    ? zooSpecText(path.slice(ZOO_PREFIX.length))
    : await readTextFile(path, 'a netspec JSON spec');
  const result = validateSpecText(text, { limits });
  return result.ok
    ? result
    : { ok: false, issues: result.issues, lines: issueLines(path, text, result.issues) };
}

/** The resolved model of a spec file, or a UserError listing every problem. */
export async function loadSpecFile(
  path: string,
  limits: Partial<Limits> = {},
): Promise<ResolvedModel> {
  const check = await checkSpecFile(path, limits);
  if (check.ok) return check.model;
  throw new UserError(specProblems(path, check.issues.length), check.lines);
}

export function specProblems(path: string, n: number): string {
  return `${path} is not a valid netspec spec (${n} problem${n === 1 ? '' : 's'}):`;
}
