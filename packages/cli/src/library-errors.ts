import { UserError } from './user-error.js';

// The libraries throw typed errors for bad input (their messages already say where and what);
// the CLI shows them as user errors (exit 2, one message), never as internal errors.
const INPUT_ERRORS = new Set([
  'DataError',
  'WeightsError',
  'SpecError',
  'EngineError',
  'ThreadsError',
  'ExportError',
  'OnnxFileError',
  'SessionError',
  'SafetensorsError',
]);

/** The error as a UserError when it is about the user's input; otherwise unchanged. */
export function asUserError(e: unknown, prefix = ''): unknown {
  if (e instanceof UserError) return e;
  if (!(e instanceof Error) || !INPUT_ERRORS.has(e.name)) return e;
  const [first = '', ...rest] = e.message.split('\n');
  return new UserError(`${prefix}${first}`, rest.map((l) => l.trim()).filter(Boolean));
}

/** Runs `f`, turning the libraries' input errors into UserErrors. */
export async function userErrors<T>(f: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw asUserError(e, prefix);
  }
}
