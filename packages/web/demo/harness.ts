// The page the browser tests drive: models come from the test's own server, results go back as
// plain arrays (what Playwright can carry).
import { createWebSession, type WebProvider } from '../src/index.js';

async function run(
  url: string,
  provider: WebProvider,
  feeds: Record<string, { data: number[]; int: boolean; shape: number[] }>,
) {
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const runner = await createWebSession(bytes, { provider, source: url });
  try {
    const inputs = Object.fromEntries(
      Object.entries(feeds).map(([name, t]) => [
        name,
        { data: t.int ? Int32Array.from(t.data) : Float32Array.from(t.data), shape: t.shape },
      ]),
    );
    const out = await runner.run(inputs);
    return {
      provider: runner.provider,
      fallback: runner.fallback,
      cpuNodes: runner.cpuNodes,
      placement: runner.placement.map((p) => ({
        executionProvider: p.executionProvider,
        count: p.count,
      })),
      ms: runner.lastRunMs,
      outputs: Object.fromEntries(
        Object.entries(out).map(([k, t]) => [k, { data: Array.from(t.data), shape: t.shape }]),
      ),
    };
  } finally {
    await runner.dispose();
  }
}

/** What the page puts on `window.netspec`. */
export interface Harness {
  run: typeof run;
}
const harness: Harness = { run };
Object.assign(window, { netspec: harness });
document.body.dataset.ready = 'true';
