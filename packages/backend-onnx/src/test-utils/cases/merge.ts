import type { LayerInput } from '@netspec/spec';
import type { ParityCase } from '../parity.js';

/** A parity case of several layers on the one input `x`; the last layer is the output. */
export type MultiLayerCase = Omit<ParityCase, 'layer'> & { layers: LayerInput[] };

const seq = { shape: [4, 3], run: [2, 4, 3] };
const free = { shape: [null, 3], run: [2, 5, 3] };

type Input = MultiLayerCase['input'];

// Two different branches of x: a (B, T, 3) dense and a (B, T, 3) tanh dense.
const a: LayerInput = { id: 'a', type: 'dense', units: 3, inputs: ['x'] };
const b: LayerInput = { id: 'b', type: 'dense', units: 3, activation: 'tanh', inputs: ['x'] };
// (B, 3): the first step of b, for rank-broadcasting merges
const b2: LayerInput = { id: 'b2', type: 'slice', axis: 1, end: 1, squeeze: true, inputs: ['b'] };

const binary = (type: string, name = type, input: Input = seq): MultiLayerCase => ({
  name: `${name}`,
  layers: [a, b, { id: 'y', type, inputs: ['a', 'b'] } as LayerInput],
  input,
});

/** Parity cases of the merge family: every kind and its important options. */
export const MERGE_CASES: MultiLayerCase[] = [
  ...['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'].map((t) => binary(t)),
  binary('add', 'add free steps', free),
  ...['add', 'multiply', 'average', 'maximum', 'minimum'].map(
    (type): MultiLayerCase => ({
      name: `${type} three inputs, one of lower rank`,
      layers: [a, b, b2, { id: 'y', type, inputs: ['a', 'b2', 'x'] } as LayerInput],
      input: seq,
    }),
  ),
  {
    name: 'subtract lower rank first',
    layers: [a, b, b2, { id: 'y', type: 'subtract', inputs: ['b2', 'a'] }],
    input: seq,
  },
  {
    name: 'concatenate last axis',
    layers: [
      a,
      { id: 'c', type: 'dense', units: 2, inputs: ['x'] },
      { id: 'y', type: 'concatenate', inputs: ['a', 'c', 'x'] },
    ],
    input: seq,
  },
  {
    name: 'concatenate axis 1',
    layers: [a, { id: 'y', type: 'concatenate', axis: 1, inputs: ['a', 'x'] }],
    input: seq,
  },
  {
    name: 'dot axes -1 (B, 1)',
    layers: [
      { id: 'p', type: 'slice', axis: 1, end: 1, squeeze: true, inputs: ['x'] },
      { id: 'q', type: 'slice', axis: 1, start: 2, end: 3, squeeze: true, inputs: ['x'] },
      { id: 'y', type: 'dot', axes: -1, inputs: ['p', 'q'] },
    ],
    input: seq,
  },
  {
    name: 'dot axes 2 attention scores',
    layers: [a, b, { id: 'y', type: 'dot', axes: 2, inputs: ['a', 'b'] }],
    input: seq,
  },
  {
    name: 'dot axes [1, 1] normalize',
    layers: [
      a,
      { id: 'c', type: 'dense', units: 2, inputs: ['x'] },
      { id: 'y', type: 'dot', axes: [1, 1], normalize: true, inputs: ['a', 'c'] },
    ],
    input: seq,
  },
  {
    name: 'dot axes [1, 1] rank 3 with rank 2',
    layers: [
      a,
      { id: 'p', type: 'slice', axis: 1, end: 1, squeeze: true, inputs: ['x'] },
      { id: 'y', type: 'dot', axes: [1, 1], inputs: ['a', 'p'] },
    ],
    input: { shape: [3, 3], run: [2, 3, 3] },
  },
];
