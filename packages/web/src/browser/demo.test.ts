import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@netspec/backend-tfjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserSetup, chromiumProblem, startBrowser } from './chromium.js';

// The demo page as a user meets it: digits drawn on the canvas with real pointer events, and
// LeNet-5 (trained on MNIST, demo/public/lenet5.onnx) must read them right.

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const problem = chromiumProblem();
if (problem) console.warn(`\n${'!'.repeat(100)}\n${problem}\n${'!'.repeat(100)}\n`);

/** Draws polylines in canvas pixels (280x280) with the mouse; returns how many strokes. */
async function draw(page: Page, strokes: [number, number][][]): Promise<number> {
  const box = await page.locator('#pad').boundingBox();
  if (!box) throw new Error('no #pad on the page');
  const at = (x: number, y: number) =>
    [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
  for (const line of strokes) {
    const [first, ...rest] = line as [[number, number], ...[number, number][]];
    await page.mouse.move(...at(...first));
    await page.mouse.down();
    for (const p of rest) await page.mouse.move(...at(...p), { steps: rest.length > 1 ? 4 : 2 });
    await page.mouse.up();
  }
  return strokes.length;
}

/** A 28x28 MNIST image as horizontal strokes: one per run of ink in every row (10 px a pixel). */
function strokesOf(pixels: Float32Array): [number, number][][] {
  const strokes: [number, number][][] = [];
  for (let y = 0; y < 28; y++) {
    let start = -1;
    for (let x = 0; x <= 28; x++) {
      const ink = x < 28 && (pixels[y * 28 + x] as number) > 0.5;
      if (ink && start < 0) start = x;
      if (!ink && start >= 0) {
        strokes.push([
          [start * 10 + 5, y * 10 + 5],
          [(x - 1) * 10 + 5, y * 10 + 5],
        ]);
        start = -1;
      }
    }
  }
  return strokes;
}

async function predictionAfter(page: Page, strokes: number): Promise<string> {
  await page.waitForSelector(`#pad[data-scored="${strokes}"]`);
  return (await page.locator('#prediction').textContent()) ?? '';
}

let setup: BrowserSetup;

describe.skipIf(problem !== undefined)('the demo page in Chromium', () => {
  beforeAll(async () => {
    setup = await startBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await setup?.close();
  });

  it('reads digits drawn on the canvas with the mouse', async () => {
    const { page, errors } = await setup.open('/');
    await page.waitForSelector('body[data-lenet]', { state: 'attached' });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // A clearly drawn 7 and 1.
    const drawn: [string, [number, number][][]][] = [
      [
        '7',
        [
          [
            [60, 50],
            [220, 50],
            [120, 240],
          ],
        ],
      ],
      [
        '1',
        [
          [
            [140, 40],
            [140, 240],
          ],
        ],
      ],
    ];
    // Real MNIST test digits, traced row by row.
    const test = loadMnist({ split: 'test', limit: 2 });
    const images = Object.values(test.x)[0]?.data as Float32Array;
    const labels = Object.values(test.y)[0]?.data as Int32Array;
    for (let i = 0; i < labels.length; i++) {
      drawn.push([String(labels[i]), strokesOf(images.subarray(i * 784, (i + 1) * 784))]);
    }
    const got: string[] = [];
    for (const [, strokes] of drawn) {
      await page.click('#clear');
      got.push(await predictionAfter(page, await draw(page, strokes)));
      if (got.length === 1) await page.screenshot({ path: `${ARTIFACTS}demo-seven.png` });
    }
    await page.screenshot({ path: `${ARTIFACTS}demo-last.png` });
    const status = (await page.locator('#digits-status').textContent()) ?? '';
    console.log(
      `demo: ${status.split('\n')[0]}; drew ${drawn.map((d) => d[0]).join(' ')}, read ${got.join(' ')}`,
    );
    expect(got).toEqual(drawn.map((d) => d[0]));
    expect(status).toMatch(/^runs on WebGPU, \d+\.\d ms per run$/);
    // The GPT's session, created at the same time as LeNet's, is on WebGPU too.
    expect(await page.locator('#text-status').textContent()).toMatch(/^runs on WebGPU/);
    expect(errors).toEqual([]);
  });
});
