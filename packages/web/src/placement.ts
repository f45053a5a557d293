// onnxruntime logs where it put every node when a session's log severity is verbose (0):
//   [V:onnxruntime:, session_state.cc:1383 VerifyEachNodeIsAssignedToAnEp]  Node(s) placed on [CPUExecutionProvider]. Number of nodes: 1
//   [V:onnxruntime:, session_state.cc:1385 VerifyEachNodeIsAssignedToAnEp]   LSTM (bilstm/LSTM)
//   [V:onnxruntime:, session_state.cc:1380 VerifyEachNodeIsAssignedToAnEp]  All nodes placed on [JsExecutionProvider]. Number of nodes: 11
// This reads those lines back: the only record of which nodes left the provider asked for.

/** One node of the optimized graph, as onnxruntime names it. */
export interface PlacedNode {
  op: string;
  name: string;
}

/** The nodes one execution provider runs (`nodes` is empty when onnxruntime only gave a count). */
export interface Placement {
  /** onnxruntime's provider name: `JsExecutionProvider` (WebGPU), `CPUExecutionProvider`, ... */
  executionProvider: string;
  count: number;
  nodes: PlacedNode[];
}

const MARK = 'VerifyEachNodeIsAssignedToAnEp]';
const GROUP = /(All nodes|Node\(s\)) placed on \[(\w+)\]\. Number of nodes: (\d+)/;
const NODE = /^ {3}(\S+) \((.*)\)$/;

/** The placements in onnxruntime's verbose session log (lines in any order of other logs). */
export function parsePlacement(lines: readonly string[]): Placement[] {
  const out: Placement[] = [];
  for (const line of lines) {
    const at = line.indexOf(MARK);
    if (at < 0) continue;
    const rest = line.slice(at + MARK.length);
    const group = GROUP.exec(rest);
    if (group) {
      out.push({ executionProvider: group[2] as string, count: Number(group[3]), nodes: [] });
      continue;
    }
    const node = NODE.exec(rest);
    if (node && out.length)
      out.at(-1)?.nodes.push({ op: node[1] as string, name: node[2] as string });
  }
  return out;
}

/** onnxruntime-web's names for its WebGPU execution provider (JSEP, and the native one). */
export const WEBGPU_EXECUTION_PROVIDERS: readonly string[] = [
  'JsExecutionProvider',
  'WebGpuExecutionProvider',
];

/** Nodes placed on the CPU while a GPU provider runs the rest: what fell back. */
export function cpuNodes(placements: readonly Placement[]): PlacedNode[] {
  if (!placements.some((p) => WEBGPU_EXECUTION_PROVIDERS.includes(p.executionProvider))) return [];
  return placements
    .filter((p) => p.executionProvider === 'CPUExecutionProvider')
    .flatMap((p) => p.nodes);
}
