import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { summaryJson, summaryTable } from './summary-table.js';

const residual = resolveSpec({
  specVersion: 1,
  name: 'residual',
  inputs: [{ id: 'x', shape: [8] }],
  layers: [
    { id: 'a', type: 'dense', units: 8 },
    { id: 'bn', type: 'batchNorm' },
    { id: 'sum', type: 'add', inputs: ['x', 'bn'] },
  ],
});

describe('summaryTable', () => {
  const table = summaryTable(residual);
  it('shows "Connected to" for a graph that is not a chain', () => {
    expect(table).toContain('Connected to');
    expect(table).toMatch(/sum \(add\)\s+│ \(None, 8\)\s+│\s+0 │ x, bn/);
  });
  it('totals trainable and non-trainable parameters like Keras', () => {
    // dense 8*8+8 = 72; batchNorm 4*8 = 32 of which moving mean/variance 16 are non-trainable
    expect(table).toContain('Total params: 104 (416.00 B)');
    expect(table).toContain('Trainable params: 88 (352.00 B)');
    expect(table).toContain('Non-trainable params: 16 (64.00 B)');
  });
  it('leaves "Connected to" out of a plain chain', () => {
    const chain = resolveSpec({
      specVersion: 1,
      name: 'chain',
      inputs: [{ id: 'x', shape: [4] }],
      layers: [{ id: 'a', type: 'dense', units: 2 }],
    });
    expect(summaryTable(chain)).not.toContain('Connected to');
  });
});

describe('summaryJson', () => {
  it('reports shapes with the batch dimension as null and a list for multi-output layers', () => {
    const lstm = resolveSpec({
      specVersion: 1,
      name: 'lstm',
      inputs: [{ id: 'x', shape: [null, 3] }],
      layers: [
        { id: 'enc', type: 'lstm', units: 4, returnState: true },
        { id: 'out', type: 'concatenate', inputs: ['enc:1', 'enc:2'] },
      ],
    });
    const doc = summaryJson(lstm);
    expect(doc.layers[0]?.outputShape).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    expect(doc.layers[1]?.outputShape).toEqual([null, 8]);
    // LSTM(4) on 3 features: 4*4*(3+4+1) = 128
    expect(doc.totalParams).toBe(128);
  });
});
