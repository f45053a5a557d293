import { describe, expect, it } from 'vitest';
import { curveSvg, seriesNames, ticks } from './curve-svg.js';

const history = [
  { epoch: 0, loss: 1.5, accuracy: 0.5, valLoss: 1.2, valAccuracy: 0.6, seconds: 3 },
  { epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.7, valAccuracy: 0.75, seconds: 3 },
];

describe('curveSvg', () => {
  it('has one panel per quantity, loss first, never epoch or seconds', () => {
    expect(seriesNames(history)).toEqual(['loss', 'accuracy']);
  });

  it('draws train and validation lines with labelled axes', () => {
    const svg = curveSvg(history, 'mlp');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="840"/);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg.match(/stroke-dasharray/g)).toHaveLength(2); // validation is dashed
    expect(svg).toContain('>epoch</text>');
    expect(svg).toContain('<title>mlp</title>');
    // Two epochs: each line has a point at x of epoch 1 and of epoch 2, in order.
    const d = /<path d="M([\d.]+),[\d.]+ L([\d.]+),/.exec(svg);
    expect(Number(d?.[2])).toBeGreaterThan(Number(d?.[1]));
  });

  it('puts the larger loss higher on the chart (smaller y)', () => {
    const svg = curveSvg(history.map((r) => ({ epoch: r.epoch, loss: r.loss })));
    const [, y1, y2] = /<path d="M[\d.]+,([\d.]+) L[\d.]+,([\d.]+)"/.exec(svg) ?? [];
    expect(Number(y1)).toBeLessThan(Number(y2));
  });

  it('escapes names and says when no epoch finished', () => {
    expect(curveSvg([], 'a<b')).toContain('<title>a&lt;b</title>');
    expect(curveSvg([])).toContain('no epochs finished yet');
  });

  it('picks round ticks', () => {
    expect(ticks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks(0.43, 0.91)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(ticks(3, 3)).toEqual([3]);
  });
});
