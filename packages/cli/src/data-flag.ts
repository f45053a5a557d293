import type { Dataset } from '@netspec/backend-tfjs';
import { asUserError } from './library-errors.js';
import { UserError } from './user-error.js';

/**
 * The data of `--data`: a built-in name (mnist, mnist:test, fashion-mnist, ...) or a path to
 * .npy / .csv / .json data (backend-tfjs's loadData); `limit` keeps the first samples. Text
 * corpora (moby-dick) come as windows of `contextLength` token ids.
 */
export async function loadDataFlag(
  source: string,
  limit?: number,
  /** Tokens per window, for text corpora (a language model's context length). */
  contextLength?: number,
): Promise<Dataset> {
  const { loadData, slice } = await import('@netspec/backend-tfjs');
  let data: Dataset;
  try {
    data = loadData(source, {
      ...(limit === undefined ? {} : { limit }),
      ...(contextLength === undefined ? {} : { contextLength }),
    });
  } catch (e) {
    throw asUserError(e, '--data: ');
  }
  if (limit !== undefined && data.size > limit) data = slice(data, 0, limit);
  if (data.size === 0) throw new UserError(`--data ${source}: expected samples, got none`);
  return data;
}
