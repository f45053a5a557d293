// A netspec GPT (character model of Moby Dick) streaming text in the page, through the zoo's
// generate(). The export carries a KV cache: after the prompt, each step runs one new character.
import { generate } from '@netspec/zoo';
import {
  cachedScorer,
  createWebSession,
  type OnnxSummary,
  summarizeOnnx,
  type WebProvider,
  type WebRunner,
} from '../src/index.js';

export interface TextView {
  note: HTMLElement;
  prompt: HTMLInputElement;
  temperature: HTMLInputElement;
  length: HTMLInputElement;
  generate: HTMLButtonElement;
  output: HTMLElement;
  status: HTMLElement;
  describe: (runner: WebRunner, ms?: number) => string;
}

const MODEL = 'gpt-moby-dick';

export function setUpText(view: TextView) {
  let runner: WebRunner | undefined;
  let summary: OnnxSummary | undefined;
  let vocabulary: { chars: string[]; contextLength: number } | undefined;
  let generation = 0;
  // A provider switch during a load: only the newest load keeps its session.
  let loads = 0;

  async function reload(provider: WebProvider) {
    generation++;
    const load = ++loads;
    await runner?.dispose();
    runner = undefined;
    view.generate.disabled = true;
    view.status.textContent = `loading ${MODEL}.onnx…`;
    try {
      const base = `${import.meta.env.BASE_URL}${MODEL}`;
      const [bytes, vocab] = await Promise.all([
        fetch(`${base}.onnx`).then((r) => r.arrayBuffer()),
        fetch(`${base}.json`).then((r) => r.json()),
      ]);
      const model = new Uint8Array(bytes);
      const created = await createWebSession(model, { provider, source: `${MODEL}.onnx` });
      if (load !== loads) return void (await created.dispose());
      summary = summarizeOnnx(model, `${MODEL}.onnx`);
      vocabulary = vocab;
      runner = created;
      view.note.textContent = `The zoo's gptGenerator (2 layers, width 64) trained briefly on Moby Dick: ${vocab.chars.length} characters, a ${vocab.contextLength}-character window, a KV cache.`;
      view.status.textContent = view.describe(runner);
      view.generate.disabled = false;
    } catch (e) {
      if (load === loads)
        view.status.textContent = `${MODEL} did not load: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  async function run() {
    if (!runner || !vocabulary || !summary) return;
    const mine = ++generation;
    const { chars } = vocabulary;
    const index = new Map(chars.map((c, i) => [c, i]));
    const temperature = Math.max(0, Number(view.temperature.value) || 0);
    const maxNewTokens = Math.min(2000, Math.max(1, Math.floor(Number(view.length.value) || 200)));
    // Characters the model never saw are dropped from the prompt.
    const ids = [...view.prompt.value].flatMap((c) =>
      index.has(c) ? [index.get(c) as number] : [],
    );
    if (!ids.length) ids.push(index.get(' ') ?? 0);
    view.output.textContent = ids.map((i) => chars[i]).join('');
    const scorer = cachedScorer(runner, summary, `${MODEL}.onnx`);
    const active = runner;
    let total = 0;
    const stop = new AbortController();
    try {
      await generate(scorer, ids, {
        maxNewTokens,
        temperature,
        seed: 1,
        signal: stop.signal,
        onToken: async ({ id, index: step }) => {
          // A newer generation or provider switch ends this one.
          if (mine !== generation) return stop.abort();
          view.output.textContent += chars[id] ?? '';
          total += active.lastRunMs ?? 0;
          view.status.textContent = view.describe(active, total / (step + 1));
          // Let the page paint: streaming.
          await new Promise((resolve) => setTimeout(resolve, 0));
        },
      });
    } catch (e) {
      // A provider switch disposes the session under a running generation: that one just ends.
      if (mine === generation)
        view.status.textContent = `generation failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    view.output.dataset.done = String(mine);
  }

  view.generate.addEventListener('click', () => void run());
  return { reload };
}
