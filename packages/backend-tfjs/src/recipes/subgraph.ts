import type { ResolvedNode } from '@netspec/spec';
import type { NetspecModel } from '../model/model.js';
import type { tf } from '../tf.js';

/** The nodes that compute `output` from `input` (everything upstream of output, stopping at input). */
export function subgraphNodes(model: NetspecModel, input: string, output: string): ResolvedNode[] {
  const byOutput = new Map<string, ResolvedNode>();
  for (const n of model.resolved.nodes) for (const t of n.outputs) byOutput.set(t.name, n);
  const found = new Set<ResolvedNode>();
  const stack = [output];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (name === input) continue;
    const node = byOutput.get(name);
    if (!node || found.has(node)) continue;
    found.add(node);
    for (const t of [...node.inputs, ...Object.values(node.refs)]) stack.push(t.name);
  }
  return [...found];
}

/** The trainable variables of some nodes, in model order. */
export function variablesOf(model: NetspecModel, nodes: ResolvedNode[]): tf.Variable[] {
  const paths = new Set(nodes.flatMap((n) => n.params.map((p) => p.path)));
  return [...model.weights.values()]
    .filter((w) => w.param.trainable && paths.has(w.param.path))
    .map((w) => w.variable);
}
