import { tf } from '../tf.js';
import { composedKernel, cropTo, type Pair, padOrCrop, upsample } from './compose.js';

type Attrs = tf.MaxPoolGradAttrs;
type Info = tf.backend_util.Conv2DInfo;
type Shape4 = [number, number, number, number];

/** The lowest float32, the frame's padding: below every input but -Infinity. */
const LOWEST = -3.4028234663852886e38;

/**
 * The gradient of a 2-D max pool (NHWC). tfjs-backend-wasm 4.22's own MaxPoolGrad sends the
 * gradient of a window whose values are all negative to the window's first position, whatever
 * its maximum, so this one replaces it.
 *   dx[b,h,w,c] = sum over windows (oh,ow) whose first maximum sits at (h,w) of dy[b,oh,ow,c]
 * Filter tap (i,j) sees padded input rows oh*s + i: with i = q*s + r, rows q.. of stride phase r.
 * Scanning the taps in row-major order, a tap takes dy where it equals the window's maximum
 * and no earlier tap did (tfjs's rule for ties); its share goes back to the same place.
 * Only 4-D slices, pads and stacks: wasm runs those fast, 5-D slices and strided slices slowly.
 * A window of -Infinity values only gives NaN (the cpu kernel drops its gradient).
 */
export function maxPoolGrad(dy: tf.Tensor4D, x: tf.Tensor4D, attrs: Attrs): tf.Tensor4D {
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = tf.backend_util.computePool2DInfo(
    x.shape,
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  if (isSubsample(info)) {
    // Each window is one input cell, its own maximum: dy goes back to it, zeros elsewhere.
    const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
    return padOrCrop(
      upsample(dy, sh, sw),
      [0, info.inHeight - oh * sh],
      [0, info.inWidth - ow * sw],
    );
  }
  const grid = phaseGrid(info);
  // Padding is the lowest float rather than -Infinity: max - view below is then never NaN.
  const framed = padOrCrop(x, grid.rows, grid.cols, LOWEST);
  const phase = phasesOf(framed, grid);
  const taps = tapsOf(info, grid);
  // The windows' maxima from wasm's own max pool (XNNPACK) over the frame: wasm's Maximum,
  // Equal and Select are scalar loops 20-50x slower than its Sub, Mul and Step.
  const max = cropTo(
    tf.maxPool(framed, [info.filterHeight, info.filterWidth], [grid.sh, grid.sw], 'valid'),
    info.outHeight,
    info.outWidth,
  );
  const sums = new Map<string, tf.Tensor4D>();
  // dy of the windows whose maximum no earlier tap has taken.
  let open: tf.Tensor4D = dy;
  for (const t of taps) {
    const view = tf.slice(phase(t.phase), [0, t.at[0], t.at[1], 0], dy.shape);
    // 1 where this tap holds its window's maximum (max - view = 0; step(0) = 0), else 0.
    const isMax = tf.sub(1, tf.step(tf.sub(max, view)));
    const share = tf.mul(isMax, open) as tf.Tensor4D;
    open = tf.sub(open, share);
    const [qi, qj] = t.at;
    const placed = padOrCrop(
      share,
      [qi, grid.hq - qi - info.outHeight],
      [qj, grid.wq - qj - info.outWidth],
    );
    const key = t.phase.join();
    const sum = sums.get(key);
    sums.set(key, sum ? tf.add(sum, placed) : placed);
  }
  const full = mergePhases(grid, (p) => sums.get(p.join()) ?? tf.zeros(phaseShape(dy, grid)));
  return padOrCrop(full, [-grid.rows[0], -grid.rows[1]], [-grid.cols[0], -grid.cols[1]]);
}

/**
 * A 1x1 window with no top/left padding whose every window lies inside the input: a strided
 * subsample (ResNet-20's option-A shortcut), whose gradient needs no comparisons.
 */
function isSubsample(info: Info): boolean {
  const { padInfo: p, strideHeight: sh, strideWidth: sw } = info;
  return (
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    p.top === 0 &&
    p.left === 0 &&
    (info.outHeight - 1) * sh < info.inHeight &&
    (info.outWidth - 1) * sw < info.inWidth
  );
}

/** The padded input as hq x wq blocks of sh x sw: how much to pad (or crop) to get there. */
interface Grid {
  sh: number;
  sw: number;
  hq: number;
  wq: number;
  rows: Pair;
  cols: Pair;
}

function phaseGrid(info: Info): Grid {
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  // Blocks for every output plus the farthest tap's offset.
  const hq = info.outHeight + Math.floor((info.filterHeight - 1) / sh);
  const wq = info.outWidth + Math.floor((info.filterWidth - 1) / sw);
  const rows: Pair = [padInfo.top, hq * sh - info.inHeight - padInfo.top];
  const cols: Pair = [padInfo.left, wq * sw - info.inWidth - padInfo.left];
  return { sh, sw, hq, wq, rows, cols };
}

interface Tap {
  /** Stride phase [r_h, r_w] of the tap's rows and columns. */
  phase: Pair;
  /** Block offset [q_h, q_w] of the tap within its phase. */
  at: Pair;
}

function tapsOf(info: Info, { sh, sw }: Grid): Tap[] {
  const taps: Tap[] = [];
  for (let i = 0; i < info.filterHeight; i++)
    for (let j = 0; j < info.filterWidth; j++)
      taps.push({ phase: [i % sh, j % sw], at: [Math.floor(i / sh), Math.floor(j / sw)] });
  return taps;
}

const phaseShape = (dy: tf.Tensor4D, g: Grid): Shape4 => [dy.shape[0], g.hq, g.wq, dy.shape[3]];

/** Phase [r_h, r_w] of x [B, hq*sh, wq*sw, C]: rows r_h, r_h + sh, ...: [B, hq, wq, C]. */
function phasesOf(x: tf.Tensor4D, g: Grid): (p: Pair) => tf.Tensor4D {
  const [b, , w, c] = x.shape;
  const rowPhases = new Map<number, tf.Tensor4D>();
  const rowPhase = (r: number) => {
    let t = rowPhases.get(r);
    if (!t) {
      t = g.sh === 1 ? x : pick(tf.reshape(x, [b * g.hq, g.sh, w, c]), 1, r, [b, g.hq, w, c]);
      rowPhases.set(r, t);
    }
    return t;
  };
  const cache = new Map<string, tf.Tensor4D>();
  return ([r, s]) => {
    const key = `${r},${s}`;
    let t = cache.get(key);
    if (!t) {
      const rows = rowPhase(r);
      t =
        g.sw === 1
          ? rows
          : pick(tf.reshape(rows, [b * g.hq, g.wq, g.sw, c]), 2, s, [b, g.hq, g.wq, c]);
      cache.set(key, t);
    }
    return t;
  };
}

/** Index `at` of axis `axis` of a 4-D tensor, reshaped to `shape`. */
function pick(t: tf.Tensor, axis: number, at: number, shape: Shape4): tf.Tensor4D {
  const begin: Shape4 = [0, 0, 0, 0];
  const size = [...t.shape] as Shape4;
  begin[axis] = at;
  size[axis] = 1;
  return tf.reshape(tf.slice(t, begin, size), shape) as tf.Tensor4D;
}

/** The inverse of phasesOf: blocks [B, hq, wq, C] interleaved into [B, hq*sh, wq*sw, C]. */
function mergePhases(g: Grid, block: (p: Pair) => tf.Tensor4D): tf.Tensor4D {
  const rowsOf = (r: number): tf.Tensor4D => {
    const parts = Array.from({ length: g.sw }, (_, s) => block([r, s]));
    if (g.sw === 1) return parts[0] as tf.Tensor4D;
    const [b, , , c] = (parts[0] as tf.Tensor4D).shape;
    return tf.reshape(tf.stack(parts, 3), [b, g.hq, g.wq * g.sw, c]);
  };
  const rows = Array.from({ length: g.sh }, (_, r) => rowsOf(r));
  if (g.sh === 1) return rows[0] as tf.Tensor4D;
  const [b, , w, c] = (rows[0] as tf.Tensor4D).shape;
  return tf.reshape(tf.stack(rows, 2), [b, g.hq * g.sh, w, c]);
}

export const maxPoolGradKernel = composedKernel<Attrs>(({ dy, input }, attrs) =>
  maxPoolGrad(dy as tf.Tensor4D, input as tf.Tensor4D, attrs),
);
