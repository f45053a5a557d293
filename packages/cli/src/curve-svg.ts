// The training curves of a run as a standalone SVG (any browser opens it): one panel per
// quantity (loss, accuracy, ...), training solid and validation dashed, epochs on the x axis.

export type HistoryRow = Record<string, number>;

const PANEL_W = 420;
const PANEL_H = 260;
const M = { left: 62, right: 16, top: 34, bottom: 46 };
const COLORS = { train: '#1f77b4', validation: '#d62728' };

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
const num = (x: number) => Number(x.toFixed(2)).toString();

/** The quantities of a history: each training key with, when logged, its `val` twin. */
export function seriesNames(history: readonly HistoryRow[]): string[] {
  const keys = new Set(history.flatMap((r) => Object.keys(r)));
  return [...keys]
    .filter((k) => k !== 'epoch' && k !== 'seconds' && !/^val[A-Z]/.test(k))
    .sort(byLossFirst);
}

const byLossFirst = (a: string, b: string) =>
  a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b);
const valKey = (k: string) => `val${k[0]?.toUpperCase() ?? ''}${k.slice(1)}`;

/** Round tick values covering [lo, hi] (about five). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((s) => s * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

function panel(history: readonly HistoryRow[], key: string, x0: number): string {
  const lines: { name: keyof typeof COLORS; points: [number, number][] }[] = [];
  for (const [name, k] of [
    ['train', key],
    ['validation', valKey(key)],
  ] as const) {
    const points = history
      .filter((r) => Number.isFinite(r[k]))
      .map((r): [number, number] => [(r.epoch ?? 0) + 1, r[k] as number]);
    if (points.length) lines.push({ name, points });
  }
  const all = lines.flatMap((l) => l.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  let [yLo, yHi] = [Math.min(...ys), Math.max(...ys)];
  if (yHi - yLo < 1e-12) [yLo, yHi] = [yLo - 0.5, yHi + 0.5];
  const pad = (yHi - yLo) * 0.05;
  [yLo, yHi] = [yLo - pad, yHi + pad];
  const [xLo, xHi] = [Math.min(1, ...xs), Math.max(2, ...xs)];
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const sx = (x: number) => x0 + M.left + ((x - xLo) / (xHi - xLo)) * w;
  const sy = (y: number) => M.top + h - ((y - yLo) / (yHi - yLo)) * h;
  const out = [
    `<text x="${num(x0 + PANEL_W / 2)}" y="20" text-anchor="middle" font-weight="bold">${esc(key)}</text>`,
    `<line x1="${num(sx(xLo))}" y1="${num(sy(yLo))}" x2="${num(sx(xHi))}" y2="${num(sy(yLo))}" stroke="#333"/>`,
    `<line x1="${num(sx(xLo))}" y1="${num(sy(yLo))}" x2="${num(sx(xLo))}" y2="${num(sy(yHi))}" stroke="#333"/>`,
  ];
  const xTicks = ticks(xLo, xHi).filter(Number.isInteger);
  for (const t of xTicks)
    out.push(`<text x="${num(sx(t))}" y="${num(sy(yLo) + 16)}" text-anchor="middle">${t}</text>`);
  for (const t of ticks(yLo, yHi))
    out.push(
      `<line x1="${num(sx(xLo))}" y1="${num(sy(t))}" x2="${num(sx(xHi))}" y2="${num(sy(t))}" stroke="#ddd"/>`,
      `<text x="${num(sx(xLo) - 6)}" y="${num(sy(t) + 4)}" text-anchor="end">${t}</text>`,
    );
  out.push(
    `<text x="${num(x0 + M.left + w / 2)}" y="${PANEL_H - 8}" text-anchor="middle">epoch</text>`,
  );
  lines.forEach((l, i) => {
    const d = l.points.map(([x, y], j) => `${j ? 'L' : 'M'}${num(sx(x))},${num(sy(y))}`).join(' ');
    const dash = l.name === 'validation' ? ' stroke-dasharray="6 4"' : '';
    out.push(
      `<path d="${d}" fill="none" stroke="${COLORS[l.name]}" stroke-width="2"${dash}/>`,
      ...l.points.map(
        ([x, y]) =>
          `<circle cx="${num(sx(x))}" cy="${num(sy(y))}" r="3" fill="${COLORS[l.name]}"/>`,
      ),
      `<text x="${num(x0 + PANEL_W - M.right)}" y="${14 + i * 14}" text-anchor="end" fill="${COLORS[l.name]}">${l.name}</text>`,
    );
  });
  return out.join('\n');
}

/** An SVG document of every quantity's curve; one panel each, side by side. */
export function curveSvg(history: readonly HistoryRow[], title = ''): string {
  const keys = seriesNames(history);
  const width = Math.max(1, keys.length) * PANEL_W;
  const body = keys.map((k, i) => panel(history, k, i * PANEL_W)).join('\n');
  const empty = keys.length ? '' : '<text x="20" y="40">no epochs finished yet</text>';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H}" viewBox="0 0 ${width} ${PANEL_H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(title || 'training curves')}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    body,
    empty,
    '</svg>',
    '',
  ].join('\n');
}
