import { z } from 'zod';
import { attentionLayers } from './attention.js';
import { blockLayers } from './block.js';
import { convLayers } from './conv.js';
import { core } from './core.js';
import { generativeLayers } from './generative.js';
import { kindsOf, type LayerKind } from './kind.js';
import { mergeLayers } from './merge.js';
import { normalizationLayers } from './normalization.js';
import { poolingLayers } from './pooling.js';
import { recurrentLayers } from './recurrent.js';

/** Every layer kind of the spec, keyed by its `type`. */
export const LAYER_KINDS = {
  ...core,
  ...mergeLayers,
  ...convLayers,
  ...poolingLayers,
  ...normalizationLayers,
  ...recurrentLayers,
  ...attentionLayers,
  ...generativeLayers,
  ...blockLayers,
};

export type LayerKinds = typeof LAYER_KINDS;
export type LayerType = keyof LayerKinds;
/** The parsed layer of one kind, defaults filled in. */
export type LayerOf<K extends LayerType> = z.output<LayerKinds[K]['schema']>;
/** Any parsed layer. */
export type Layer = { [K in LayerType]: LayerOf<K> }[LayerType];
export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

export function layerKind(type: string): LayerKind | undefined {
  return Object.hasOwn(LAYER_KINDS, type)
    ? (LAYER_KINDS as unknown as Record<string, LayerKind>)[type]
    : undefined;
}

/** A layer as a user writes it (defaults optional). */
export type LayerInput = { [K in LayerType]: z.input<LayerKinds[K]['schema']> }[LayerType];

const schemas = kindsOf(LAYER_KINDS).map((k) => k.schema);
/** Any layer, discriminated by `type`; typed by the registry since the union is built at run time. */
export const LayerSchema = z.discriminatedUnion(
  'type',
  schemas as unknown as [LayerKind['schema'], ...LayerKind['schema'][]],
) as unknown as z.ZodType<Layer, LayerInput>;
