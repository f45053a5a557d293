import { OnnxFileError } from '../errors.js';
import type { ModelProto } from '../proto/types.js';
import type { OnnxEngine } from './create.js';

/** The engines as their messages name them (the versions pinned in package.json). */
export const ENGINE_NAMES: Readonly<Record<OnnxEngine, string>> = {
  'ort-node': 'onnxruntime-node 1.30',
  'ort-web': 'onnxruntime-web 1.30',
};

/**
 * The newest ai.onnx opset each engine runs. Found by probing onnxruntime 1.30.0 itself: a
 * one-node (Relu) model built with GraphBuilder, stamped with ai.onnx opsets 20..28, loads at
 * opset 26 and is refused from 27 on ("ONNX Runtime only *guarantees* support for models stamped
 * with opset version ..."), the same in onnxruntime-node and onnxruntime-web (wasm).
 * `support.test.ts` checks both ends, so an onnxruntime upgrade that moves it fails a test.
 */
export const MAX_AI_ONNX_OPSET: Readonly<Record<OnnxEngine, number>> = {
  'ort-node': 26,
  'ort-web': 26,
};

/** Operator set domains onnxruntime's CPU and wasm builds implement ops for. */
export const KNOWN_DOMAINS: readonly string[] = ['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft'];

const isDefaultDomain = (domain: string) => domain === '' || domain === 'ai.onnx';

/** The model's opset imports as domain → version ("" written as "ai.onnx"). */
export function opsetImports(model: ModelProto): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of model.opset_import ?? []) {
    const domain = isDefaultDomain(o.domain ?? '') ? 'ai.onnx' : (o.domain ?? '');
    out.set(domain, Math.max(out.get(domain) ?? 0, o.version ?? 0));
  }
  return out;
}

/**
 * Checks that `engine` can run the model's opsets before the engine loads it: an ai.onnx opset
 * newer than the engine runs, or a domain no engine implements, is an `OnnxFileError`.
 */
export function checkSupport(model: ModelProto, engine: OnnxEngine, source = 'model'): void {
  const name = ENGINE_NAMES[engine];
  for (const o of model.opset_import ?? []) {
    const domain = o.domain ?? '';
    const version = o.version ?? 0;
    if (!KNOWN_DOMAINS.includes(domain)) {
      throw new OnnxFileError(
        `${source}: model imports operator domain "${domain}" (opset ${version}), which ${name} does not implement (it runs ${KNOWN_DOMAINS.filter((d) => d !== '').join(', ')})`,
      );
    }
    const max = MAX_AI_ONNX_OPSET[engine];
    if (isDefaultDomain(domain) && version > max) {
      throw new OnnxFileError(
        `${source}: model uses ai.onnx opset ${version}; ${name} runs up to ${max}`,
      );
    }
  }
}

// onnxruntime's messages for a node it has no kernel or schema for:
//   "No Op registered for NotAnOp with domain_version of 17" (node and web)
//   "Could not find an implementation for Foo(13) node with name 'n'" (a schema, no kernel)
const NO_OP = /No Op registered for (\S+) with domain_version of (\d+)/g;
const NO_KERNEL = /Could not find an implementation for (\S+?)\((\d+)\) node with name '([^']*)'/g;

/**
 * The `OnnxFileError` for an onnxruntime session-creation failure caused by ops the engine
 * cannot run (naming each op, its node and opset), or undefined for any other failure.
 */
export function unsupportedOpError(
  model: ModelProto,
  engine: OnnxEngine,
  reason: string,
  source = 'model',
): OnnxFileError | undefined {
  const found: { op: string; opset: number; nodes: string[] }[] = [];
  const nodesOf = (op: string) =>
    (model.graph?.node ?? [])
      .map((n, i) => ({ n, i }))
      .filter(({ n }) => n.op_type === op)
      .map(({ n, i }) => (n.name ? `"${n.name}"` : `#${i}`));
  for (const m of reason.matchAll(NO_OP)) {
    const op = m[1] as string;
    found.push({ op, opset: Number(m[2]), nodes: nodesOf(op) });
  }
  for (const m of reason.matchAll(NO_KERNEL)) {
    const op = m[1] as string;
    found.push({ op, opset: Number(m[2]), nodes: m[3] ? [`"${m[3]}"`] : nodesOf(op) });
  }
  if (!found.length) return undefined;
  const seen = new Set<string>();
  const parts = found
    .filter((f) => {
      const key = `${f.op}@${f.opset}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => {
      const where = f.nodes.length ? ` (node ${f.nodes.join(', ')})` : '';
      return `op ${f.op}${where} at opset ${f.opset}`;
    });
  return new OnnxFileError(
    `${source}: ${ENGINE_NAMES[engine]} cannot run ${parts.join('; ')}: the engine has no implementation of it at that opset`,
  );
}
