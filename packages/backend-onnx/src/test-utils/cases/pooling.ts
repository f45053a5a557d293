import type { ParityCase } from '../parity.js';

const seq = { shape: [7, 3], run: [2, 7, 3] };
const img = { shape: [7, 6, 3], run: [2, 7, 6, 3] };
const freeImg = { shape: [null, null, 2], run: [2, 5, 7, 2] };
const freeSeq = { shape: [null, 2], run: [2, 9, 2] };

const pools = ['maxPool', 'avgPool'] as const;

/** Parity cases of the pooling family: every kind and its important options. */
export const POOLING_CASES: ParityCase[] = [
  ...pools.flatMap((p): ParityCase[] => [
    { name: `${p}1d default`, layer: { id: 'y', type: `${p}1d` }, input: seq },
    {
      name: `${p}1d same size 3 stride 2`,
      layer: { id: 'y', type: `${p}1d`, poolSize: 3, strides: 2, padding: 'same' },
      input: seq,
    },
    {
      name: `${p}1d same free steps`,
      layer: { id: 'y', type: `${p}1d`, poolSize: 4, strides: 3, padding: 'same' },
      input: freeSeq,
    },
    { name: `${p}2d default`, layer: { id: 'y', type: `${p}2d` }, input: img },
    {
      name: `${p}2d valid [3, 2] strides [1, 2]`,
      layer: { id: 'y', type: `${p}2d`, poolSize: [3, 2], strides: [1, 2] },
      input: img,
    },
    {
      name: `${p}2d same 3 strides 2`,
      layer: { id: 'y', type: `${p}2d`, poolSize: 3, strides: 2, padding: 'same' },
      input: img,
    },
    {
      name: `${p}2d same [2, 3] stride 1`,
      layer: { id: 'y', type: `${p}2d`, poolSize: [2, 3], strides: 1, padding: 'same' },
      input: img,
    },
    {
      name: `${p}2d same free height and width`,
      layer: { id: 'y', type: `${p}2d`, poolSize: 3, strides: 2, padding: 'same' },
      input: freeImg,
    },
  ]),
  ...(['globalMaxPool', 'globalAvgPool'] as const).flatMap((p): ParityCase[] => [
    { name: `${p}1d`, layer: { id: 'y', type: `${p}1d` }, input: seq },
    { name: `${p}1d keepDims`, layer: { id: 'y', type: `${p}1d`, keepDims: true }, input: seq },
    { name: `${p}2d`, layer: { id: 'y', type: `${p}2d` }, input: img },
    { name: `${p}2d keepDims`, layer: { id: 'y', type: `${p}2d`, keepDims: true }, input: img },
    { name: `${p}2d free opset 18`, layer: { id: 'y', type: `${p}2d` }, input: freeImg, opset: 18 },
  ]),
];
