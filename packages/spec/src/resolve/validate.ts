import { z } from 'zod';
import { suggestion } from '../errors/did-you-mean.js';
import { expectedPhrase, fromZod } from '../errors/from-zod.js';
import { SpecError, type SpecIssue, sortIssues, toPointer } from '../errors/issue.js';
import { type JsonOptions, parseJson } from '../json/parse-json.js';
import { isJsonObject } from '../json/values.js';
import { countParams } from '../layers/infer.js';
import { LayerSchema } from '../layers/registry.js';
import { migrate } from '../migrate.js';
import { Id } from '../schema/primitives.js';
import { InputSchema, type Spec, SpecSchema } from '../schema/spec.js';
import { trainingIssues } from '../schema/training.js';
import {
  DEFAULT_LIMITS,
  type Limits,
  type ResolvedLayer,
  type ResolvedModel,
  type Tensor,
} from './model.js';
import { resolveScope } from './scope.js';
import type { BlockDef, ResolveContext, ScopeLayer } from './scope-types.js';

export interface ValidateOptions extends JsonOptions {
  limits?: Partial<Limits>;
}

export type ValidationResult =
  | { ok: true; model: ResolvedModel }
  | { ok: false; issues: SpecIssue[] };

const parseOptions = { error: expectedPhrase, reportInput: true } as const;
type Json = Record<string, unknown>;
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function scopeLayers(raw: unknown, pointer: string): ScopeLayer[] {
  return asArray(raw).map((r, i) => {
    const o = isJsonObject(r) ? r : {};
    const parsed = LayerSchema.safeParse(r);
    const inputs =
      Array.isArray(o.inputs) && o.inputs.every((x) => typeof x === 'string')
        ? o.inputs
        : undefined;
    return {
      pointer: `${pointer}/${i}`,
      id: Id.safeParse(o.id).success ? (o.id as string) : undefined,
      layer: parsed.success ? parsed.data : undefined,
      // Unreadable `inputs` count as explicit and empty, so no layer is wired in by mistake.
      inputs: inputs ?? (o.inputs === undefined ? undefined : []),
    };
  });
}

function blockDefs(raw: unknown): Map<string, BlockDef> {
  const defs = new Map<string, BlockDef>();
  if (!isJsonObject(raw)) return defs;
  for (const [name, b] of Object.entries(raw)) {
    const o = isJsonObject(b) ? b : {};
    const pointer = `/blocks/${toPointer([name]).slice(1)}`;
    const inputs = z.array(Id).min(1).default(['x']).safeParse(o.inputs);
    defs.set(name, {
      pointer,
      inputs: inputs.success ? inputs.data : undefined,
      layers: scopeLayers(o.layers, `${pointer}/layers`),
      outputs: o.outputs,
    });
  }
  return defs;
}

const appliedBlocks = (layers: ScopeLayer[]) =>
  layers.flatMap((l) => (l.layer?.type === 'block' ? [l.layer.block] : []));

/** Blocks that the model never applies, directly or through other blocks. */
function unusedBlocks(top: ScopeLayer[], defs: Map<string, BlockDef>): SpecIssue[] {
  const anywhere = new Set([...defs.values()].flatMap((d) => appliedBlocks(d.layers)));
  // Reachable from the model's own layers: a block used only by itself or by unused blocks is unused too.
  const reached = new Set<string>();
  const todo = appliedBlocks(top);
  for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    todo.push(...appliedBlocks(defs.get(name)?.layers ?? []));
  }
  return [...defs]
    .filter(([name]) => !reached.has(name))
    .map(([name, d]) => ({
      pointer: d.pointer,
      message: anywhere.has(name)
        ? `block "${name}" is only used by blocks the model never applies`
        : `block "${name}" is not used by any layer`,
    }));
}

/** Keys of a per-output loss map must name the model's outputs (as written in `outputs`). */
function lossOutputIssues(spec: Spec): SpecIssue[] {
  const loss = spec.training?.loss;
  if (!loss || typeof loss === 'string' || 'type' in loss) return [];
  const outputs = spec.outputs ?? [spec.layers.at(-1)?.id ?? ''];
  return Object.keys(loss)
    .filter((k) => !outputs.includes(k))
    .map((k) => ({
      pointer: toPointer(['training', 'loss', k]),
      message: `"${k}" is not an output of the model; expected one of ${outputs.join(', ')}${suggestion(k, outputs)}`,
    }));
}

/** Tensor names a recipe refers to, with their paths inside `training.recipe`. */
function recipeRefs(spec: Spec): { path: (string | number)[]; ref: string }[] {
  const r = spec.training?.recipe;
  if (!r) return [];
  if (r.type === 'vae')
    return (['mean', 'logVar', 'latent'] as const).map((k) => ({ path: [k], ref: r[k] }));
  if (r.type === 'gan')
    return (['generator', 'discriminator'] as const).flatMap((part) =>
      (['input', 'output'] as const).map((k) => ({ path: [part, k], ref: r[part][k] })),
    );
  return [];
}

/** Recipe references to tensors the top-level graph does not have. */
function recipeIssues(spec: Spec, known: string[]): SpecIssue[] {
  return recipeRefs(spec)
    .filter(({ ref }) => !known.includes(ref.replace(/:0$/, '')))
    .map(({ path, ref }) => ({
      pointer: toPointer(['training', 'recipe', ...path]),
      message: `"${ref}" is not a tensor of the model; expected an input or layer id${suggestion(ref, known)}`,
    }));
}

/** Graph checks, shape inference and budgets over whatever parts of the spec parsed. */
function resolveParts(raw: Json, limits: Limits, schemaOk: boolean) {
  const ctx: ResolveContext = {
    blocks: blockDefs(raw.blocks),
    limits,
    issues: [],
    nodes: [],
    totalParams: 0,
    aborted: false,
    checkedBlocks: new Set(),
  };
  const inputs = asArray(raw.inputs).flatMap((r, k) => {
    const p = InputSchema.safeParse(r);
    const tensor = p.success ? { name: p.data.id, shape: p.data.shape, dtype: p.data.dtype } : null;
    return p.success ? [{ id: p.data.id, tensor, pointer: `/inputs/${k}` }] : [];
  });
  const top = scopeLayers(raw.layers, '/layers');
  const summary: ResolvedLayer[] = [];
  const outputs = resolveScope(ctx, {
    layers: top,
    inputs,
    outputs: raw.outputs,
    outputsPointer: '/outputs',
    prefix: '',
    frozen: false,
    context: '',
    blockStack: [],
    reportStatic: true,
    summary,
  });
  // An unused block matters only once everything else is right (an unknown block name would make its intended block look unused).
  if (schemaOk && !ctx.aborted && !ctx.issues.length)
    ctx.issues.push(...unusedBlocks(top, ctx.blocks));
  return { ctx, inputs: inputs.map((i) => i.tensor as Tensor), outputs, summary };
}

/**
 * Validates a spec (already parsed from JSON): migration, schema, graph, shapes, budgets.
 * Every problem is reported at once, sorted by JSON pointer.
 */
export function validateSpec(raw: unknown, options: ValidateOptions = {}): ValidationResult {
  const migrated = migrate(raw);
  if (!migrated.ok) return migrated;
  const value = migrated.value;
  const parsed = SpecSchema.safeParse(value, parseOptions);
  const issues = parsed.success ? [] : fromZod(parsed.error.issues, SpecSchema, value);
  if (!isJsonObject(value)) return { ok: false, issues: sortIssues(issues) };
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const { ctx, inputs, outputs, summary } = resolveParts(value, limits, parsed.success);
  issues.push(...ctx.issues);
  if (parsed.success) issues.push(...lossOutputIssues(parsed.data as Spec));
  if (parsed.success && outputs) {
    const known = [
      ...inputs.map((i) => i.name),
      ...summary.flatMap((l) => l.outputs.map((t) => t.name)),
    ];
    issues.push(...recipeIssues(parsed.data as Spec, known));
  }
  if (parsed.success && parsed.data.training) {
    for (const t of trainingIssues(parsed.data.training))
      issues.push({ pointer: toPointer(['training', ...t.path]), message: t.message });
  }
  if (issues.length || !parsed.success || !outputs) {
    // A spec that parsed and raised no issue always resolves; this guards the invariant.
    return {
      ok: false,
      issues: issues.length
        ? sortIssues(issues)
        : [{ pointer: '', message: 'the spec could not be resolved' }],
    };
  }
  const params = ctx.nodes.flatMap((n) => n.params);
  const trainable = countParams(params.filter((p) => p.trainable));
  return {
    ok: true,
    model: {
      spec: parsed.data as Spec,
      inputs,
      nodes: ctx.nodes,
      layers: summary,
      outputs: outputs as Tensor[],
      totalParams: ctx.totalParams,
      trainableParams: trainable,
      nonTrainableParams: ctx.totalParams - trainable,
    },
  };
}

/** Validates the text of a spec file: strict JSON first (no duplicate keys, bounded nesting). */
export function validateSpecText(text: string, options: ValidateOptions = {}): ValidationResult {
  const json = parseJson(text, options);
  return json.ok ? validateSpec(json.value, options) : json;
}

/** The resolved model of a valid spec; throws a SpecError listing every problem otherwise. */
export function resolveSpec(raw: unknown, options: ValidateOptions = {}): ResolvedModel {
  const result = validateSpec(raw, options);
  if (!result.ok) throw new SpecError(result.issues);
  return result.model;
}
