import { PNG } from 'pngjs';
import { writeFileAtomic } from './atomic.js';

/**
 * Images (N, H, W, C) with values in [0, 1], C = 1 or 3, as one PNG grid with `columns` per row
 * and a 2-pixel gap, for looking at generated samples.
 */
export function imageGrid(
  data: Float32Array,
  [n, h, w, c]: [number, number, number, number],
  columns = Math.ceil(Math.sqrt(n)),
): Uint8Array {
  if (c !== 1 && c !== 3) throw new Error(`expected images with 1 or 3 channels, got ${c}`);
  const gap = 2;
  const rows = Math.ceil(n / columns);
  const png = new PNG({ width: columns * (w + gap) + gap, height: rows * (h + gap) + gap });
  png.data.fill(255);
  for (let i = 0; i < n; i++) {
    const top = gap + Math.floor(i / columns) * (h + gap);
    const left = gap + (i % columns) * (w + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = ((top + y) * png.width + left + x) * 4;
        for (let k = 0; k < 3; k++) {
          const v = data[((i * h + y) * w + x) * c + (c === 1 ? 0 : k)] ?? 0;
          png.data[at + k] = Math.round(255 * Math.min(1, Math.max(0, v)));
        }
        png.data[at + 3] = 255;
      }
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

export async function writeImageGrid(
  path: string,
  data: Float32Array,
  shape: [number, number, number, number],
  columns?: number,
): Promise<void> {
  await writeFileAtomic(path, imageGrid(data, shape, columns));
}
