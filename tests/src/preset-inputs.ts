import { Rng } from '@netspec/backend-tfjs';
import type { ResolvedModel, RunnerTensor } from '@netspec/spec';

/**
 * Seeded feeds: floats in [0, 1); int32 ids below the smallest embedding table that reads them
 * (2 when none does); tensors a layer reads as a padding mask get 0/1 with the first position
 * kept, so no row is fully masked.
 */
export function inputsFor(model: ResolvedModel) {
  const masks = new Set(model.nodes.flatMap((n) => Object.values(n.refs).map((t) => t.name)));
  const idLimit = (name: string) =>
    Math.min(
      ...model.nodes
        .filter((n) => n.inputs.some((t) => t.name === name))
        .flatMap((n) => n.params.filter((p) => p.name.endsWith('embeddings')))
        .map((p) => p.shape[0] as number),
      masks.has(name) ? 2 : Number.POSITIVE_INFINITY,
    );
  const rng = new Rng(7);
  const feeds: Record<string, RunnerTensor> = {};
  for (const t of model.inputs) {
    const shape = [2, ...t.shape.map((d) => d ?? 8)];
    const n = shape.reduce((a, b) => a * b, 1);
    const last = shape.at(-1) as number;
    const limit = idLimit(t.name);
    const id = (i: number) =>
      masks.has(t.name) && i % last === 0 ? 1 : rng.int(Number.isFinite(limit) ? limit : 2);
    feeds[t.name] =
      t.dtype === 'int32'
        ? { data: Int32Array.from({ length: n }, (_, i) => id(i)), shape }
        : { data: Float32Array.from({ length: n }, () => rng.next()), shape };
  }
  return feeds;
}
