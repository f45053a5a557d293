import type { LayerOf, LayerType, ResolvedNode } from '@netspec/spec';
import type { Attr } from '../graph/attributes.js';
import type { GraphBuilder } from '../graph/builder.js';

/** A layer's own configuration (what the emitter reads). */
export type ConfigOf<K extends LayerType> = Omit<LayerOf<K>, 'id' | 'inputs' | 'trainable'>;

/** What an emitter sees while it writes one layer's nodes. */
export interface EmitContext {
  graph: GraphBuilder;
  /** The node of the resolved graph: its path, output shapes and weights. */
  node: ResolvedNode;
  /** The default-domain opset being written; emitters pick newer ops where it allows. */
  opset: number;
  /** The initializer of this layer's weight `name` (`kernel`, `bias`), in Keras's layout. */
  weight(name: string): string;
  /** The values of weight `name` (float32), for emitters that must convert a layout. */
  weightData(name: string): Float32Array;
  /** Graph values of the tensors named by the kind's refFields (masks), by field. */
  refs: Partial<Record<string, string>>;
  /** The name output `index` of this layer should get: its tensor name in the spec. */
  outputName(index?: number): string;
  /** Appends a node named under this layer (`<path>/<op>`) and returns its one output. */
  op(op: string, inputs: readonly string[], attrs?: Record<string, Attr>, output?: string): string;
  /** An int64 constant under this layer's path. */
  int64s(base: string, values: readonly (number | bigint)[]): string;
  /** A float32 scalar constant under this layer's path. */
  scalar(base: string, value: number): string;
}

/** How the ONNX exporter writes one layer kind. */
export interface Emitter<K extends LayerType> {
  /** Emits the layer's nodes; returns the value names of its outputs, in the spec's order. */
  emit(config: ConfigOf<K>, inputs: string[], ctx: EmitContext): string[];
}

/** Every kind of the spec, checked by the compiler: a kind without an emitter fails here. */
export type Emitters = { [K in LayerType]: Emitter<K> };
