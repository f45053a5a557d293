import { writeSafetensors } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { ExportError } from './errors.js';
import { exportOnnx } from './export.js';

const spec = {
  specVersion: 1,
  name: 'm',
  inputs: [{ id: 'x', shape: [3] }],
  layers: [{ id: 'y', type: 'dense', units: 2 }],
};
const f32 = (shape: number[]) => ({
  dtype: 'F32' as const,
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

describe('exportOnnx', () => {
  it('lists every weight that does not fit', () => {
    const w = writeSafetensors({ 'y.kernel': f32([2, 3]), extra: f32([1]) });
    expect(() => exportOnnx(spec, w)).toThrow(ExportError);
    expect(() => exportOnnx(spec, w)).toThrow(
      /y.kernel": expected shape \[3, 2\][\s\S]*y.bias[\s\S]*extra/,
    );
  });

  it('a weights file that is not safetensors is an ExportError with the offset', () => {
    expect(() => exportOnnx(spec, new Uint8Array([1, 2, 3]))).toThrow(/^weights at byte 0/);
  });

  it('an unknown layout is an ExportError', () => {
    const w = writeSafetensors({ 'y.kernel': f32([3, 2]), 'y.bias': f32([2]) });
    expect(() => exportOnnx(spec, w, { layout: 'nwhc' as 'nhwc' })).toThrow(
      /layout: expected 'nhwc' or 'nchw'/,
    );
  });

  it('the same inputs give the same bytes (no paths, no timestamps)', () => {
    const w = writeSafetensors({ 'y.kernel': f32([3, 2]), 'y.bias': f32([2]) });
    expect(exportOnnx(spec, w)).toEqual(exportOnnx(spec, w));
  });
});
