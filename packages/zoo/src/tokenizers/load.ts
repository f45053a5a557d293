import { TokenizerError } from './json.js';
import { type Tokenizer, tokenizerFromJson } from './tokenizer.js';

/** tokenizer.json files of real models reach tens of MB; refuse what no tokenizer needs. */
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * A tokenizer from a Hugging Face tokenizer.json: a file path (Node) or the parsed object
 * (anywhere, e.g. from `fetch(...).then((r) => r.json())` in a browser).
 */
export async function loadTokenizer(source: string | object): Promise<Tokenizer> {
  if (typeof source !== 'string') return tokenizerFromJson(source);
  // Imported here so that loading from an object needs no Node built-in (browsers).
  const { readFile, stat } = await import('node:fs/promises');
  let text: string;
  try {
    const { size } = await stat(source);
    if (size > MAX_BYTES)
      throw new TokenizerError(
        `${source}: expected a tokenizer.json of at most ${MAX_BYTES} bytes, got ${size}`,
      );
    text = await readFile(source, 'utf8');
  } catch (e) {
    if (e instanceof TokenizerError) throw e;
    throw new TokenizerError(`${source}: cannot read the file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TokenizerError(`${source}: expected JSON (${(e as Error).message})`);
  }
  return tokenizerFromJson(json, source);
}
