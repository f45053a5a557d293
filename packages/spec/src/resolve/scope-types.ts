// The data the scope resolver works over: layers as written, block definitions, the shared
// resolution context and one scope (the model, or one repetition of a block).
import type { SpecIssue } from '../errors/issue.js';
import type { Layer } from '../layers/registry.js';
import type { Limits, ResolvedLayer, ResolvedNode, Tensor } from './model.js';

/** A layer as written, parsed when it could be; unparsed layers still take part in graph checks. */
export interface ScopeLayer {
  pointer: string;
  id?: string;
  layer?: Layer;
  /** Explicit `inputs`, when written as strings. */
  inputs?: string[];
}

export interface BlockDef {
  pointer: string;
  /** Undefined when the block's own `inputs` are invalid (already reported). */
  inputs?: string[];
  layers: ScopeLayer[];
  outputs?: unknown;
}

export interface ResolveContext {
  blocks: Map<string, BlockDef>;
  limits: Limits;
  issues: SpecIssue[];
  nodes: ResolvedNode[];
  totalParams: number;
  /** Set when a budget is exceeded: resolution stops, nothing more is expanded. */
  aborted: boolean;
  /** Blocks whose definitions were checked once already (their static problems reported). */
  checkedBlocks: Set<string>;
}

/** One list of layers with its inputs: the model itself, or one repetition of a block. */
export interface Scope {
  layers: ScopeLayer[];
  inputs: { id: string; tensor: Tensor | null; pointer: string }[];
  outputs: unknown;
  outputsPointer: string;
  /** Prepended to layer ids to name nodes: `encoder.3.`. */
  prefix: string;
  frozen: boolean;
  /** Appended to inference messages: ` (in encoder.3)`. */
  context: string;
  blockStack: string[];
  /** Report problems of the definition itself (ids, references, use) only once per block. */
  reportStatic: boolean;
  /** Collects one row per layer as written, for the top-level scope. */
  summary?: ResolvedLayer[];
}
