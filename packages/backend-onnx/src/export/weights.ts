import {
  type ResolvedModel,
  readSafetensors,
  SafetensorsError,
  type SafetensorsFile,
  tensorToFloat32,
  weightMismatches,
} from '@netspec/spec';
import { ExportError } from '../errors.js';

/** The weights file, read and checked against the model: every problem listed at once. */
export function checkedWeights(
  model: ResolvedModel,
  weights: SafetensorsFile | Uint8Array,
): SafetensorsFile {
  let file: SafetensorsFile;
  try {
    file = weights instanceof Uint8Array ? readSafetensors(weights) : weights;
  } catch (e) {
    if (!(e instanceof SafetensorsError)) throw e;
    const at = e.offset === undefined ? '' : ` at byte ${e.offset}`;
    throw new ExportError(`weights${at}: ${e.message}`);
  }
  const problems = weightMismatches(model, file);
  if (problems.length > 0) {
    throw new ExportError(
      `weights do not fit model "${model.spec.name}":\n  ${problems.join('\n  ')}`,
    );
  }
  return file;
}

/** A weight by its full path as float32 (F16, BF16 and F64 files are converted). */
export function weightValues(file: SafetensorsFile, path: string): Float32Array {
  const t = file.tensors.get(path);
  if (!t) throw new ExportError(`weight "${path}" is missing`);
  return tensorToFloat32(t);
}
