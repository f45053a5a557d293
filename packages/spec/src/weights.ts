import { didYouMean } from './errors/did-you-mean.js';
import type { ResolvedModel } from './resolve/model.js';
import type { SafetensorsFile } from './safetensors.js';

/** Float dtypes a float32 weight may be stored in (widened on load). */
const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Every way a weights file fails to fit a model, one line each: missing, unexpected (with the
 * closest expected name), wrong shape or non-float dtype. Empty when the file fits exactly.
 */
export function weightMismatches(model: ResolvedModel, file: SafetensorsFile): string[] {
  const expected = new Map(
    model.nodes.flatMap((n) => n.params.map((p) => [p.path, p.shape] as const)),
  );
  const problems: string[] = [];
  for (const [name, shape] of expected) {
    const t = file.tensors.get(name);
    if (!t) problems.push(`weight "${name}" ${shapeText(shape)} is missing`);
    else if (shapeText(t.shape) !== shapeText(shape)) {
      problems.push(
        `weight "${name}": expected shape ${shapeText(shape)}, got ${shapeText(t.shape)}`,
      );
    } else if (!FLOAT_DTYPES.has(t.dtype)) {
      problems.push(
        `weight "${name}": expected a float dtype (F32, F16, BF16, F64), got ${t.dtype}`,
      );
    }
  }
  const names = [...expected.keys()];
  for (const name of file.tensors.keys()) {
    if (expected.has(name)) continue;
    const near = didYouMean(name, names);
    problems.push(
      `weight "${name}" is not a parameter of this model${near ? ` (did you mean "${near}"?)` : ''}`,
    );
  }
  return problems;
}
