import { ExportError } from '../errors.js';
import type { ModelProto, TensorProto } from '../proto/types.js';

/** Where the initializers go: a file name next to the model (e.g. `model.onnx.data`). */
export interface ExternalDataOptions {
  location: string;
}

/** The ONNX model and its external data file, written side by side under `location`. */
export interface OnnxWithExternalData {
  model: Uint8Array;
  data: Uint8Array;
}

/** Each tensor's bytes start at a multiple of this (the page size onnxruntime can memory-map). */
export const EXTERNAL_DATA_ALIGNMENT = 4096;

/** TensorProto.DataLocation.EXTERNAL. */
export const DATA_LOCATION_EXTERNAL = 1;

/**
 * Protobuf cannot encode a message of 2 GiB or more; initializers embedded in the model may take
 * up to this, leaving 64 MiB for the graph itself.
 */
export const MAX_EMBEDDED_BYTES = 2 ** 31 - 64 * 2 ** 20;

/**
 * Checks that `location` is a plain file name: no directories, no '..', nothing absolute (the
 * model must not carry local paths, and onnxruntime resolves it next to the model file).
 */
export function checkLocation(location: unknown): string {
  const bad = (why: string) =>
    new ExportError(
      `option externalData.location: expected a file name such as 'model.onnx.data' (${why}), got ${JSON.stringify(location)}`,
    );
  if (typeof location !== 'string' || location.length === 0) throw bad('a non-empty string');
  if (/[/\\]/.test(location)) throw bad('no path separators');
  if (/^[A-Za-z]:/.test(location)) throw bad('no drive letter');
  if (location === '.' || location === '..') throw bad('not a directory');
  if ([...location].some((ch) => ch.charCodeAt(0) < 0x20)) throw bad('no control characters');
  return location;
}

const rawSize = (t: TensorProto) => t.raw_data?.length ?? 0;

/**
 * Throws when the initializers embedded in a model would exceed `limit` bytes (protobuf's 2 GiB
 * limit less a margin), telling the user to write them as external data.
 */
export function checkEmbeddedSize(
  initializers: readonly TensorProto[],
  limit = MAX_EMBEDDED_BYTES,
): void {
  const total = initializers.reduce((sum, t) => sum + rawSize(t), 0);
  if (total > limit) {
    throw new ExportError(
      `the weights take ${total} bytes, over the ${limit} bytes one ONNX file can embed (protobuf's 2 GiB limit); export them as external data: exportOnnxWithExternalData(spec, weights, { externalData: { location: 'model.onnx.data' } })`,
    );
  }
}

const align = (n: number, to: number) => Math.ceil(n / to) * to;

/**
 * Moves every initializer's `raw_data` into one data file, each at an offset aligned to
 * `alignment`, and points the TensorProto at it (`data_location` EXTERNAL, `external_data`
 * location / offset / length, as onnx/docs/ExternalData.md says). Tensors with no bytes (empty
 * shapes) stay embedded: they have nothing to move. Returns the new model and the data.
 */
export function toExternalData(
  model: ModelProto,
  location: string,
  alignment = EXTERNAL_DATA_ALIGNMENT,
): { model: ModelProto; data: Uint8Array } {
  const graph = model.graph ?? {};
  const placed: { tensor: TensorProto; offset: number }[] = [];
  let end = 0;
  for (const tensor of graph.initializer ?? []) {
    if (rawSize(tensor) === 0) continue;
    const offset = align(end, alignment);
    placed.push({ tensor, offset });
    end = offset + rawSize(tensor);
  }
  const data = new Uint8Array(end);
  const moved = new Map<TensorProto, TensorProto>();
  for (const { tensor, offset } of placed) {
    const bytes = tensor.raw_data as Uint8Array;
    data.set(bytes, offset);
    const { raw_data: _, ...rest } = tensor;
    moved.set(tensor, {
      ...rest,
      data_location: DATA_LOCATION_EXTERNAL,
      external_data: [
        { key: 'location', value: location },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(bytes.length) },
      ],
    });
  }
  const initializer = (graph.initializer ?? []).map((t) => moved.get(t) ?? t);
  return { model: { ...model, graph: { ...graph, initializer } }, data };
}
