import { LayerError } from '../layers/kind.js';

/** An edge from a layer to what it reads: `target` is a layer index in the same scope. */
export interface Edge {
  target: number;
  pointer: string;
}

export interface Cycle {
  /** Layer indices in the cycle, in order. */
  members: number[];
  /** The reference that closes it. */
  pointer: string;
}

/**
 * Orders layers so that every layer comes after what it reads, keeping the written order where
 * it already is one. Iterative, so a long chain cannot overflow the stack.
 */
export function topologicalOrder(deps: readonly Edge[][]): { order: number[]; cycles: Cycle[] } {
  const state = new Uint8Array(deps.length); // 0 unseen, 1 on the path, 2 done
  const order: number[] = [];
  const cycles: Cycle[] = [];
  for (let root = 0; root < deps.length; root++) {
    if (state[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1] as [number, number];
      const [v, k] = top;
      const edges = deps[v] ?? [];
      if (k < edges.length) {
        top[1]++;
        const edge = edges[k] as Edge;
        if (state[edge.target] === 0) {
          state[edge.target] = 1;
          stack.push([edge.target, 0]);
        } else if (state[edge.target] === 1) {
          const from = stack.findIndex(([n]) => n === edge.target);
          cycles.push({ members: stack.slice(from).map(([n]) => n), pointer: edge.pointer });
        }
      } else {
        state[v] = 2;
        order.push(v);
        stack.pop();
      }
    }
  }
  return { order, cycles };
}

/** Splits `"lstm:1"` into id and output index. */
export function parseRef(ref: string): { id: string; index: number } {
  const [id, index] = ref.split(':');
  const n = index === undefined ? 0 : Number(index);
  if (!Number.isSafeInteger(n)) throw new LayerError(`output index in "${ref}" is too large`);
  return { id: id as string, index: n };
}
