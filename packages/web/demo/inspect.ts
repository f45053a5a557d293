// Any .onnx the user picks: its graph summary, then a run on random or uploaded (JSON) inputs.
import { seededRandom } from '@netspec/zoo';
import {
  createWebSession,
  type OnnxSummary,
  summarizeOnnx,
  type ValueSummary,
  type WebProvider,
  type WebRunner,
} from '../src/index.js';

/** Random inputs for each graph input (symbolic dimensions taken as 1), seeded. */
export function randomInputs(inputs: readonly ValueSummary[], seed = 1) {
  const next = seededRandom(seed);
  const feeds: Record<string, { data: Float32Array | Int32Array; shape: number[] }> = {};
  for (const v of inputs) {
    const shape = v.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = shape.reduce((a, b) => a * b, 1);
    if (v.type === 'float32')
      feeds[v.name] = { data: Float32Array.from({ length: n }, next), shape };
    else if (v.type === 'int32' || v.type === 'int64') {
      feeds[v.name] = {
        data: Int32Array.from({ length: n }, () => Math.floor(next() * 10)),
        shape,
      };
    } else
      throw new Error(`input "${v.name}": random ${v.type} inputs are not supported; upload JSON`);
  }
  return feeds;
}

/** Inputs from JSON: `{ "<input name>": nested arrays of numbers }`, checked against the graph. */
export function jsonInputs(text: string, inputs: readonly ValueSummary[], source: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${source}: expected an object mapping input names to nested arrays`);
  }
  const feeds: Record<string, { data: Float32Array | Int32Array; shape: number[] }> = {};
  for (const v of inputs) {
    const value = (parsed as Record<string, unknown>)[v.name];
    if (value === undefined)
      throw new Error(`${source}: /${v.name} is missing; expected nested arrays of numbers`);
    const shape: number[] = [];
    for (let a: unknown = value; Array.isArray(a); a = a[0]) shape.push(a.length);
    const flat = (value as unknown[]).flat(Number.POSITIVE_INFINITY);
    const total = shape.reduce((a, b) => a * b, 1);
    if (flat.length !== total || flat.some((x) => typeof x !== 'number')) {
      throw new Error(`${source}: /${v.name} must be a rectangular nested array of numbers`);
    }
    const nums = flat as number[];
    feeds[v.name] = {
      data: v.type === 'float32' ? Float32Array.from(nums) : Int32Array.from(nums),
      shape,
    };
  }
  return feeds;
}

export function summaryTable(s: OnnxSummary): HTMLElement {
  const div = document.createElement('div');
  const io = (vs: ValueSummary[]) =>
    vs.map((v) => `${v.name}: ${v.type}[${v.shape.join(', ')}]`).join('<br>');
  const esc = (t: string) => t.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  div.innerHTML = `<table>
    <tr><th>inputs</th><td>${esc(io(s.inputs))}</td></tr>
    <tr><th>outputs</th><td>${esc(io(s.outputs))}</td></tr>
    <tr><th>nodes</th><td>${s.nodeCount} (${esc(s.opCounts.map(([op, n]) => `${op} ${n}`).join(', '))})</td></tr>
    <tr><th>opsets</th><td>${esc(
      Object.entries(s.opsets)
        .map(([d, v]) => `${d} ${v}`)
        .join(', '),
    )}, IR ${s.irVersion}, by ${esc(s.producer || '?')}</td></tr>
    <tr><th>weights</th><td>${s.initializerCount} initializers${s.externalFiles.length ? `, external data: ${esc(s.externalFiles.join(', '))}` : ''}</td></tr>
  </table>`
    .replaceAll('<br>', '\n')
    .replaceAll('\n', '<br>');
  return div;
}

/** Loads the picked files: the .onnx and the external data files it names. */
export async function openPicked(files: File[], provider: WebProvider) {
  const model = files.find((f) => f.name.endsWith('.onnx'));
  if (!model) throw new Error('pick an .onnx file (and its external-data files, if it has any)');
  const bytes = new Uint8Array(await model.arrayBuffer());
  const summary = summarizeOnnx(bytes, model.name);
  const missing = summary.externalFiles.filter(
    (f) => !files.some((x) => x.name === f.split('/').pop()),
  );
  if (missing.length)
    throw new Error(`${model.name} keeps weights in ${missing.join(', ')}: pick those files too`);
  const externalData = await Promise.all(
    summary.externalFiles.map(async (path) => {
      const file = files.find((x) => x.name === path.split('/').pop()) as File;
      return { path, data: new Uint8Array(await file.arrayBuffer()) };
    }),
  );
  const runner: WebRunner = await createWebSession(bytes, {
    provider,
    source: model.name,
    ...(externalData.length ? { externalData } : {}),
  });
  return { summary, runner };
}
