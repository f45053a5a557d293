// The drawing pad: pointer strokes on a black canvas, and LeNet-5's probabilities after each one.
import type { WebRunner } from '../src/index.js';
import { toMnist } from './mnist-image.js';

export interface DigitsView {
  pad: HTMLCanvasElement;
  probs: HTMLOListElement;
  prediction: HTMLElement;
  clear: HTMLButtonElement;
}

/** Wires the pad to a model getter; returns nothing to dispose (the page lives as long). */
export function setUpDigits(
  view: DigitsView,
  model: () => WebRunner | undefined,
  report: (ms: number) => void,
) {
  let drawing = false;
  let pending = false;
  let lastLive = 0;
  // Finished strokes; data-scored says how many of them the shown prediction saw (tests wait on it).
  let strokes = 0;
  const ctx = view.pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
  const reset = () => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, view.pad.width, view.pad.height);
    view.prediction.textContent = 'draw a digit';
    view.probs.replaceChildren();
    strokes = 0;
    view.pad.dataset.scored = '0';
  };
  reset();
  ctx.strokeStyle = '#fff';
  ctx.lineWidth = 22;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  const at = (e: PointerEvent) => {
    const r = view.pad.getBoundingClientRect();
    return [
      ((e.clientX - r.left) * view.pad.width) / r.width,
      ((e.clientY - r.top) * view.pad.height) / r.height,
    ] as const;
  };
  const predict = async () => {
    const runner = model();
    if (!runner || pending) return;
    pending = true;
    const seen = strokes;
    try {
      const { width, height } = view.pad;
      const rgba = ctx.getImageData(0, 0, width, height).data;
      const gray = Float32Array.from(
        { length: width * height },
        (_, i) => (rgba[i * 4] as number) / 255,
      );
      const image = toMnist({ data: gray, width, height });
      if (!image) return;
      const out = await runner.run({
        [runner.inputNames[0] as string]: { data: image, shape: [1, 28, 28, 1] },
      });
      const probs = Array.from(out[runner.outputNames[0] as string]?.data ?? []);
      show(probs);
      if (seen > Number(view.pad.dataset.scored)) view.pad.dataset.scored = String(seen);
      report(runner.lastRunMs ?? 0);
    } catch (e) {
      // A provider switch disposes the session under a running prediction: only others show.
      if (model() === runner)
        view.prediction.textContent = `error: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      pending = false;
    }
  };
  const show = (probs: number[]) => {
    const best = probs.indexOf(Math.max(...probs));
    view.prediction.textContent = String(best);
    view.probs.replaceChildren(
      ...probs.map((p) => {
        const li = document.createElement('li');
        const bar = document.createElement('span');
        bar.style.width = `${Math.round(p * 150)}px`;
        li.append(`${(p * 100).toFixed(1).padStart(5)}%`, bar);
        return li;
      }),
    );
  };
  view.pad.addEventListener('pointerdown', (e) => {
    drawing = true;
    view.pad.setPointerCapture(e.pointerId);
    const [x, y] = at(e);
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y);
    ctx.stroke();
  });
  view.pad.addEventListener('pointermove', (e) => {
    if (!drawing) return;
    const [x, y] = at(e);
    ctx.lineTo(x, y);
    ctx.stroke();
    // Live, but at most ~8 times a second: a run must not hold up the pointer.
    if (performance.now() - lastLive < 120) return;
    lastLive = performance.now();
    void predict();
  });
  const end = () => {
    if (!drawing) return;
    drawing = false;
    strokes++;
    // Always score the finished drawing, even if a live prediction is still running.
    const settle = () => (pending ? void setTimeout(settle, 5) : void predict());
    settle();
  };
  view.pad.addEventListener('pointerup', end);
  view.pad.addEventListener('pointercancel', end);
  view.clear.addEventListener('click', reset);
}
