// The demo page: LeNet-5 on a drawing pad, a GPT streaming text, and an .onnx inspector, each on
// the provider picked at the top (WebGPU falls back to wasm and says why).
import {
  createWebSession,
  type OnnxSummary,
  type WebProvider,
  type WebRunner,
} from '../src/index.js';
import { setUpDigits } from './digits.js';
import { jsonInputs, openPicked, randomInputs, summaryTable } from './inspect.js';
import { setUpText } from './text.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const provider = () => $<HTMLSelectElement>('provider').value as WebProvider;

/** "WebGPU, 1.3 ms per run", the fallback reason, and which nodes ran on the CPU. */
function describe(runner: WebRunner, ms?: number): string {
  const name = runner.provider === 'webgpu' ? 'WebGPU' : 'wasm';
  const lines = [`runs on ${name}${ms === undefined ? '' : `, ${ms.toFixed(1)} ms per run`}`];
  if (runner.fallback) lines.push(`not WebGPU: ${runner.fallback}`);
  if (runner.cpuNodes.length) {
    lines.push(
      `on the CPU instead: ${runner.cpuNodes.map((n) => `${n.op} (${n.name})`).join(', ')}`,
    );
  }
  return lines.join('\n');
}

$('isolation').textContent = crossOriginIsolated
  ? 'cross-origin isolated: wasm threads on'
  : 'not cross-origin isolated: wasm runs one thread';

let lenet: WebRunner | undefined;
// A provider switch during a load: only the newest load keeps its session.
let lenetLoads = 0;
async function loadLenet() {
  const load = ++lenetLoads;
  const status = $('digits-status');
  status.textContent = 'loading lenet5.onnx…';
  await lenet?.dispose();
  lenet = undefined;
  try {
    const bytes = new Uint8Array(
      await (await fetch(`${import.meta.env.BASE_URL}lenet5.onnx`)).arrayBuffer(),
    );
    const created = await createWebSession(bytes, { provider: provider(), source: 'lenet5.onnx' });
    if (load !== lenetLoads) return void (await created.dispose());
    lenet = created;
    status.textContent = describe(lenet);
    document.body.dataset.lenet = lenet.provider;
  } catch (e) {
    if (load === lenetLoads)
      status.textContent = `lenet5 did not load: ${e instanceof Error ? e.message : String(e)}`;
  }
}
setUpDigits(
  { pad: $('pad'), probs: $('probs'), prediction: $('prediction'), clear: $('clear') },
  () => lenet,
  (ms) => {
    if (lenet) $('digits-status').textContent = describe(lenet, ms);
  },
);

const text = setUpText({
  note: $('gpt-note'),
  prompt: $('prompt'),
  temperature: $('temperature'),
  length: $('length'),
  generate: $('generate'),
  output: $('generated'),
  status: $('text-status'),
  describe,
});

let picked: { runner: WebRunner; summary: OnnxSummary } | undefined;
let inspections = 0;
async function inspect() {
  const mine = ++inspections;
  const files = [...($<HTMLInputElement>('model-files').files ?? [])];
  const status = $('inspect-status');
  $('summary').replaceChildren();
  $<HTMLButtonElement>('run-model').disabled = true;
  await picked?.runner.dispose();
  picked = undefined;
  if (!files.length) return;
  try {
    status.textContent = 'loading…';
    const opened = await openPicked(files, provider());
    if (mine !== inspections) return void (await opened.runner.dispose());
    picked = opened;
    $('summary').replaceChildren(summaryTable(picked.summary));
    status.textContent = describe(picked.runner);
    $<HTMLButtonElement>('run-model').disabled = false;
  } catch (e) {
    status.textContent = e instanceof Error ? e.message : String(e);
  }
}
$('model-files').addEventListener('change', inspect);
$('run-model').addEventListener('click', async () => {
  if (!picked) return;
  const { runner, summary } = picked;
  try {
    const file = $<HTMLInputElement>('input-file').files?.[0];
    const feeds = file
      ? jsonInputs(await file.text(), summary.inputs, file.name)
      : randomInputs(summary.inputs);
    const out = await runner.run(feeds);
    $('run-output').textContent = Object.entries(out)
      .map(
        ([name, t]) =>
          `${name} [${t.shape.join(', ')}]: ${Array.from(t.data.slice(0, 12), (v) => +v.toFixed(5)).join(', ')}${t.data.length > 12 ? ', …' : ''}`,
      )
      .join('\n');
    $('inspect-status').textContent = describe(runner, runner.lastRunMs);
  } catch (e) {
    $('inspect-status').textContent = e instanceof Error ? e.message : String(e);
  }
});

$('provider').addEventListener('change', () => {
  void loadLenet();
  void text.reload(provider());
  void inspect();
});
void loadLenet();
void text.reload(provider());
