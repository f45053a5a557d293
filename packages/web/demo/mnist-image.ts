// A drawing turned into what MNIST's digits look like (LeCun's preprocessing): the ink's
// bounding box scaled to fit 20x20, then placed in 28x28 so its center of mass is the center.

/** Grayscale pixels in [0, 1], row-major, ink bright. */
export interface Gray {
  data: Float32Array;
  width: number;
  height: number;
}

/** 28x28 MNIST-style pixels (784 values in [0, 1]), or undefined when nothing is drawn. */
export function toMnist(image: Gray, threshold = 0.1): Float32Array | undefined {
  const { data, width, height } = image;
  let top = height;
  let left = width;
  let bottom = -1;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((data[y * width + x] as number) <= threshold) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  if (bottom < 0) return undefined;
  const bw = right - left + 1;
  const bh = bottom - top + 1;
  const scale = 20 / Math.max(bw, bh);
  const w = Math.max(1, Math.round(bw * scale));
  const h = Math.max(1, Math.round(bh * scale));
  // Each target cell averages the source pixels it covers (at least one, when enlarging).
  const box = new Float32Array(w * h);
  for (let ty = 0; ty < h; ty++) {
    const y0 = Math.min(bh - 1, Math.floor(ty / scale));
    const y1 = Math.min(bh, Math.max(y0 + 1, Math.floor((ty + 1) / scale)));
    for (let tx = 0; tx < w; tx++) {
      const x0 = Math.min(bw - 1, Math.floor(tx / scale));
      const x1 = Math.min(bw, Math.max(x0 + 1, Math.floor((tx + 1) / scale)));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) sum += data[(top + y) * width + left + x] as number;
      }
      box[ty * w + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  let mass = 0;
  let cy = 0;
  let cx = 0;
  box.forEach((v, i) => {
    mass += v;
    cy += v * Math.floor(i / w);
    cx += v * (i % w);
  });
  const dy = Math.round(14 - (cy / mass + 0.5));
  const dx = Math.round(14 - (cx / mass + 0.5));
  const out = new Float32Array(28 * 28);
  box.forEach((v, i) => {
    const y = Math.floor(i / w) + dy;
    const x = (i % w) + dx;
    if (y >= 0 && y < 28 && x >= 0 && x < 28) out[y * 28 + x] = Math.min(1, v);
  });
  return out;
}
