import { suggestion } from '../errors/did-you-mean.js';
import { countParams, inferContext } from '../layers/infer.js';
import { LayerError, type LayerKind } from '../layers/kind.js';
import { type Layer, layerKind } from '../layers/registry.js';
import { formatShape, product } from '../layers/shape.js';
import { parseRef, topologicalOrder } from './graph.js';
import type { ResolvedNode, Tensor } from './model.js';
import type { ResolveContext, Scope, ScopeLayer } from './scope-types.js';

const REF = /^[A-Za-z_][A-Za-z0-9_]*(:[0-9]+)?$/;

interface Edge {
  ref: string;
  pointer: string;
  implicit: boolean;
  /** The refField it fills, when not a positional input. */
  field?: string;
  /** The weightRefField it fills: it names a layer whose weights the layer reuses. */
  weightField?: string;
  source?: { input: number } | { layer: number };
  index: number;
}

class ScopeResolver {
  private readonly names = new Map<string, { input: number } | { layer: number }>();
  private readonly used = new Set<string>();
  private unresolved = false;
  private readonly outputsOf: ((Tensor | null)[] | null)[];
  private readonly edges: Edge[][];

  constructor(
    private readonly ctx: ResolveContext,
    private readonly s: Scope,
  ) {
    this.outputsOf = s.layers.map(() => null);
    this.declareNames();
    this.edges = s.layers.map((l, i) => this.edgesOf(l, i));
  }

  private staticIssue(pointer: string, message: string) {
    if (this.s.reportStatic) this.ctx.issues.push({ pointer, message });
  }

  private issue(pointer: string, message: string) {
    this.ctx.issues.push({ pointer, message: message + this.s.context });
  }

  private declareNames() {
    const where = (n: { input: number } | { layer: number }) =>
      'input' in n ? this.s.inputs[n.input]?.pointer : this.s.layers[n.layer]?.pointer;
    const declare = (id: string, entry: { input: number } | { layer: number }, pointer: string) => {
      const prev = this.names.get(id);
      if (prev) this.staticIssue(pointer, `duplicate id "${id}"; already used at ${where(prev)}`);
      else this.names.set(id, entry);
    };
    for (const [k, inp] of this.s.inputs.entries()) declare(inp.id, { input: k }, inp.pointer);
    for (const [i, l] of this.s.layers.entries())
      if (l.id !== undefined) declare(l.id, { layer: i }, `${l.pointer}/id`);
  }

  private edgesOf(l: ScopeLayer, i: number): Edge[] {
    const previous = i === 0 ? this.s.inputs[0]?.id : this.s.layers[i - 1]?.id;
    const refs = l.inputs
      ? l.inputs.map((ref, j) => ({ ref, pointer: `${l.pointer}/inputs/${j}`, implicit: false }))
      : // A previous layer without a valid id (already reported) leaves this one unresolved, not input-less.
        [{ ref: previous ?? '', pointer: l.pointer, implicit: true }];
    const kind = l.layer ? layerKind(l.layer.type) : undefined;
    const named = (field: string) => {
      const ref = (l.layer as Record<string, unknown>)[field];
      return typeof ref === 'string' ? [{ ref, pointer: `${l.pointer}/${field}` }] : [];
    };
    const fields = (kind?.refFields ?? []).flatMap((field) =>
      named(field).map((r) => ({ ...r, implicit: false, field })),
    );
    const weightFields = (kind?.weightRefFields ?? []).flatMap((weightField) =>
      named(weightField).map((r) => ({ ...r, implicit: false, weightField })),
    );
    return [...refs, ...fields, ...weightFields].map((e) => this.link(e));
  }

  /** Finds what a reference names; unknown names are reported with the closest id. */
  private link(e: Omit<Edge, 'source' | 'index'>): Edge {
    if (!REF.test(e.ref)) return { ...e, index: 0 }; // the schema already reported its format
    let id: string;
    let index: number;
    try {
      ({ id, index } = parseRef(e.ref));
    } catch (err) {
      if (!(err instanceof LayerError)) throw err;
      this.staticIssue(e.pointer, err.message);
      this.used.add(e.ref.split(':')[0] as string);
      return { ...e, index: 0 };
    }
    const source = this.names.get(id);
    this.used.add(id);
    if (!source) {
      this.unresolved = true;
      this.staticIssue(
        e.pointer,
        `unknown reference "${e.ref}"; expected an input or layer id${suggestion(id, [...this.names.keys()])}`,
      );
    }
    return { ...e, source, index };
  }

  resolve(): (Tensor | null)[] | null {
    const deps = this.edges.map((es) =>
      es.flatMap((e) =>
        e.source && 'layer' in e.source ? [{ target: e.source.layer, pointer: e.pointer }] : [],
      ),
    );
    const { order, cycles } = topologicalOrder(deps);
    const broken = new Set<number>();
    for (const c of cycles) {
      const ids = c.members.map((m) => this.s.layers[m]?.id);
      this.staticIssue(
        c.pointer,
        `cycle: ${[...ids, ids[0]].join(' -> ')}; a layer cannot depend on its own output`,
      );
      for (const m of c.members) broken.add(m);
    }
    for (const v of order) {
      if (this.ctx.aborted) return null;
      if (!broken.has(v)) this.outputsOf[v] = this.resolveLayer(v);
    }
    const outputs = this.modelOutputs();
    this.reportUnused();
    return outputs;
  }

  private tensorOf(e: Edge): Tensor | null | undefined {
    if (!e.source) return null;
    if ('input' in e.source) return this.s.inputs[e.source.input]?.tensor ?? null;
    const outs = this.outputsOf[e.source.layer];
    if (!outs) return null;
    if (e.index >= outs.length) {
      const id = parseRef(e.ref).id;
      this.issue(
        e.pointer,
        `"${e.ref}" names output ${e.index}, but "${id}" has ${outs.length} output${outs.length === 1 ? '' : 's'} (0..${outs.length - 1})`,
      );
      return null;
    }
    return outs[e.index] ?? null;
  }

  private resolveLayer(v: number): (Tensor | null)[] | null {
    const l = this.s.layers[v] as ScopeLayer;
    if (!l.layer || l.id === undefined) return null;
    const kind = layerKind(l.layer.type) as LayerKind;
    const inputs: Tensor[] = [];
    const refs: Record<string, Tensor> = {};
    const layers: Record<string, ResolvedNode> = {};
    for (const e of this.edges[v] as Edge[]) {
      if (e.weightField) {
        const owner = this.referencedNode(e);
        if (owner === null) return null;
        if (owner) layers[e.weightField] = owner;
        continue;
      }
      const t = this.tensorOf(e);
      if (!t) return null;
      if (e.field) refs[e.field] = t;
      else inputs.push(t);
    }
    if (!kind.composite && !this.checkInputs(l, kind, inputs, this.edges[v] as Edge[])) return null;
    const path = this.s.prefix + l.id;
    const start = this.ctx.nodes.length;
    const outputs = kind.composite
      ? expandBlock(this.ctx, this.s, l, inputs, path)
      : this.inferNode(l, kind, inputs, refs, layers, path);
    if (outputs && this.s.summary) this.summarize(l, inputs, outputs as Tensor[], start);
    return outputs;
  }

  private checkInputs(l: ScopeLayer, kind: LayerKind, inputs: Tensor[], edges: Edge[]): boolean {
    const { min, max, dtype } = kind.arity;
    if (inputs.length < min || inputs.length > max) {
      const want =
        min === max
          ? `${min}`
          : max === Number.POSITIVE_INFINITY
            ? `at least ${min}`
            : `${min} to ${max}`;
      const implicit = edges[0]?.implicit ? ' (the previous layer); name them in "inputs"' : '';
      this.issue(
        l.inputs ? `${l.pointer}/inputs` : l.pointer,
        `expected ${want} input${want === '1' ? '' : 's'}, got ${inputs.length}${implicit}`,
      );
      return false;
    }
    if (dtype === 'any') return true;
    const bad = inputs.findIndex((t) => t.dtype !== dtype);
    if (bad < 0) return true;
    const t = inputs[bad] as Tensor;
    this.issue(
      edges[bad]?.pointer ?? l.pointer,
      `expected ${dtype === 'int32' ? 'an' : 'a'} ${dtype} input, got ${t.dtype} from "${t.name}"`,
    );
    return false;
  }

  private inferNode(
    l: ScopeLayer,
    kind: LayerKind,
    inputs: Tensor[],
    refs: Record<string, Tensor>,
    layers: Record<string, ResolvedNode>,
    path: string,
  ) {
    let inferred: ReturnType<LayerKind['infer']>;
    try {
      const named = Object.fromEntries(
        Object.entries(layers).map(([field, n]) => [
          field,
          { type: n.layer.type, params: n.params },
        ]),
      );
      inferred = kind.infer(l.layer as never, inputs, inferContext(refs, named));
    } catch (e) {
      if (!(e instanceof LayerError)) throw e;
      this.issue(fieldPointer(l, e.field), e.message);
      return null;
    }
    const outputs = inferred.outputs.map((o, k) => ({
      ...o,
      name: k === 0 ? path : `${path}:${k}`,
    }));
    const trainable = !this.s.frozen && (l.layer as Layer).trainable;
    const params = (inferred.params ?? []).map((p) => ({
      ...p,
      path: `${path}.${p.name}`,
      trainable: p.trainable && trainable,
    }));
    if (!this.withinLimits(l, outputs, countParams(params))) return null;
    this.ctx.nodes.push({
      path,
      layer: l.layer as Layer,
      pointer: l.pointer,
      inputs,
      refs,
      outputs,
      params,
      tied: (inferred.tied ?? []).flatMap((t) => {
        const owner = layers[t.field];
        const p = owner?.params.find((q) => q.name === t.param);
        return owner && p ? [{ ...p, name: t.name, path: `${owner.path}.${p.name}` }] : [];
      }),
    });
    return outputs;
  }

  /**
   * The node a weight-reference field names: undefined when it names no single layer (the
   * layer's inference reports that), null when that layer did not resolve (already reported).
   */
  private referencedNode(e: Edge): ResolvedNode | null | undefined {
    if (!e.source) return null;
    if (!('layer' in e.source)) return undefined;
    const owner = this.s.layers[e.source.layer];
    if (!this.outputsOf[e.source.layer] || owner?.id === undefined) return null;
    const path = this.s.prefix + owner.id;
    return this.ctx.nodes.find((n) => n.path === path);
  }

  private withinLimits(l: ScopeLayer, outputs: Tensor[], params: number): boolean {
    const { maxTensorElements, maxParams, maxLayers } = this.ctx.limits;
    for (const o of outputs) {
      const n = product(o.shape.map((d) => d ?? 1));
      if (n > maxTensorElements) {
        this.issue(
          l.pointer,
          `output ${formatShape(o.shape)} holds ${big(n)} values per sample, more than the limit of ${big(maxTensorElements)} (maxTensorElements)`,
        );
        return false;
      }
    }
    this.ctx.totalParams += params;
    const abort = (message: string) => {
      this.issue(l.pointer, message);
      this.ctx.aborted = true;
      return false;
    };
    if (this.ctx.totalParams > maxParams) {
      return abort(
        `brings the model to ${big(this.ctx.totalParams)} parameters, over the budget of ${big(maxParams)} (maxParams)`,
      );
    }
    if (this.ctx.nodes.length >= maxLayers) {
      return abort(`expands the model past ${big(maxLayers)} layers (maxLayers)`);
    }
    return true;
  }

  private summarize(l: ScopeLayer, inputs: Tensor[], outputs: Tensor[], start: number) {
    const params = this.ctx.nodes.slice(start).flatMap((n) => n.params);
    this.s.summary?.push({
      id: l.id as string,
      type: (l.layer as Layer).type,
      pointer: l.pointer,
      inputs: inputs.map((t) => t.name),
      outputs,
      params: countParams(params),
      trainableParams: countParams(params.filter((p) => p.trainable)),
    });
  }

  private modelOutputs(): (Tensor | null)[] | null {
    const last = this.s.layers.at(-1);
    const refs: { ref: string; pointer: string }[] = Array.isArray(this.s.outputs)
      ? this.s.outputs.flatMap((r, k) =>
          typeof r === 'string' ? [{ ref: r, pointer: `${this.s.outputsPointer}/${k}` }] : [],
        )
      : last?.id !== undefined
        ? [{ ref: last.id, pointer: last.pointer }]
        : [];
    const tensors = refs.map((r) => this.tensorOf(this.link({ ...r, implicit: false })) ?? null);
    return tensors.length && tensors.every(Boolean) ? tensors : null;
  }

  private reportUnused() {
    // Unknown references or unreadable layers make every "unused" a guess: say nothing then.
    if (this.unresolved || !this.s.layers.length || this.s.layers.some((l) => !l.layer)) return;
    for (const inp of this.s.inputs) {
      if (!this.used.has(inp.id))
        this.staticIssue(inp.pointer, `input "${inp.id}" is not used by any layer`);
    }
    for (const l of this.s.layers) {
      if (l.id !== undefined && !this.used.has(l.id)) {
        this.staticIssue(l.pointer, `the output of "${l.id}" is not used by any layer or output`);
      }
    }
  }
}

/** Where a layer's problem points; `inputs` the user did not write means the layer itself. */
function fieldPointer(l: ScopeLayer, field: string): string {
  if (!field || (!l.inputs && (field === 'inputs' || field.startsWith('inputs/'))))
    return l.pointer;
  return `${l.pointer}/${field}`;
}

/** Resolves one scope: graph checks, topological order, inference; returns its output tensors. */
export function resolveScope(ctx: ResolveContext, s: Scope): (Tensor | null)[] | null {
  return new ScopeResolver(ctx, s).resolve();
}

/** Applies a block `repeat` times: output 0 of each repetition feeds input 0 of the next. */
function expandBlock(ctx: ResolveContext, s: Scope, l: ScopeLayer, inputs: Tensor[], path: string) {
  const layer = l.layer as Extract<Layer, { type: 'block' }>;
  const name = layer.block;
  const def = ctx.blocks.get(name);
  const issue = (pointer: string, message: string) => ctx.issues.push({ pointer, message });
  if (!def) {
    const names = [...ctx.blocks.keys()];
    const known = names.length
      ? `; expected one of ${names.join(', ')}`
      : '; the spec defines no blocks';
    issue(`${l.pointer}/block`, `unknown block "${name}"${known}${suggestion(name, names)}`);
    return null;
  }
  if (s.blockStack.includes(name)) {
    issue(
      `${l.pointer}/block`,
      `block "${name}" contains itself: ${[...s.blockStack, name].join(' -> ')}`,
    );
    return null;
  }
  if (!def.inputs) return null;
  if (inputs.length !== def.inputs.length) {
    const n = def.inputs.length;
    issue(
      l.inputs ? `${l.pointer}/inputs` : l.pointer,
      `block "${name}" takes ${n} input${n === 1 ? '' : 's'} (${def.inputs.join(', ')}), got ${inputs.length}`,
    );
    return null;
  }
  let current: Tensor[] = inputs;
  let outputs: (Tensor | null)[] | null = null;
  for (let r = 0; r < layer.repeat; r++) {
    const first = !ctx.checkedBlocks.has(name);
    ctx.checkedBlocks.add(name);
    outputs = resolveScope(ctx, {
      layers: def.layers,
      inputs: def.inputs.map((id, k) => ({
        id,
        tensor: current[k] ?? null,
        pointer: `${def.pointer}/inputs/${k}`,
      })),
      outputs: def.outputs,
      outputsPointer: `${def.pointer}/outputs`,
      prefix: `${path}.${r}.`,
      frozen: s.frozen || !layer.trainable,
      context: ` (in ${path}.${r})`,
      blockStack: [...s.blockStack, name],
      reportStatic: first,
    });
    if (!outputs || outputs.some((o) => !o)) return null;
    current = [outputs[0] as Tensor, ...current.slice(1)];
  }
  return outputs;
}

/** 1234567 -> "1,234,567". */
function big(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'more than 2^53';
}
