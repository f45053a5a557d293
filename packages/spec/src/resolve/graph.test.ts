import { describe, expect, it } from 'vitest';
import { LayerError } from '../layers/kind.js';
import { type Edge, parseRef, topologicalOrder } from './graph.js';

/** deps[i] lists what layer i reads, as layer indices. */
const deps = (reads: number[][]): Edge[][] =>
  reads.map((r, i) => r.map((target, k) => ({ target, pointer: `/layers/${i}/inputs/${k}` })));

describe('topologicalOrder', () => {
  it('keeps an order that already is one', () => {
    expect(topologicalOrder(deps([[], [0], [0, 1], [2]]))).toEqual({
      order: [0, 1, 2, 3],
      cycles: [],
    });
  });

  it('puts every layer after what it reads', () => {
    // 0 reads 2, 2 reads 1, 3 reads 0 and 1
    expect(topologicalOrder(deps([[2], [], [1], [0, 1]])).order).toEqual([1, 2, 0, 3]);
  });

  it('orders a chain of 100000 layers without overflowing the stack, either way round', () => {
    const n = 100_000;
    const forward = topologicalOrder(deps(Array.from({ length: n }, (_, i) => (i ? [i - 1] : []))));
    expect(forward.cycles).toEqual([]);
    expect(forward.order).toHaveLength(n);
    expect(forward.order.every((v, i) => v === i)).toBe(true);
    // Written last-first: the walk from layer 0 goes 100000 deep.
    const backward = topologicalOrder(
      deps(Array.from({ length: n }, (_, i) => (i < n - 1 ? [i + 1] : []))),
    );
    expect(backward.cycles).toEqual([]);
    expect(backward.order[0]).toBe(n - 1);
    expect(backward.order.at(-1)).toBe(0);
    expect(backward.order.every((v, i) => v === n - 1 - i)).toBe(true);
  });

  it('reports a cycle with its members in order and the reference that closes it', () => {
    // 0 reads 2, 1 reads 0, 2 reads 1: 0 -> 2 -> 1 -> 0
    const { order, cycles } = topologicalOrder(deps([[2], [0], [1], []]));
    expect(cycles).toEqual([{ members: [0, 2, 1], pointer: '/layers/1/inputs/0' }]);
    expect([...order].sort()).toEqual([0, 1, 2, 3]);
  });

  it('reports a layer that reads itself, and separate cycles separately', () => {
    const { cycles } = topologicalOrder(deps([[0], [2], [1]]));
    expect(cycles).toEqual([
      { members: [0], pointer: '/layers/0/inputs/0' },
      { members: [1, 2], pointer: '/layers/2/inputs/0' },
    ]);
  });
});

describe('parseRef', () => {
  it('splits an id from its output index', () => {
    expect(parseRef('lstm:2')).toEqual({ id: 'lstm', index: 2 });
    expect(parseRef('dense')).toEqual({ id: 'dense', index: 0 });
  });
  it('throws a LayerError on an index beyond safe integers', () => {
    expect(() => parseRef('x:99999999999999999999')).toThrow(LayerError);
    expect(() => parseRef('x:99999999999999999999')).toThrow(
      /output index in "x:99999999999999999999" is too large/,
    );
  });
});
