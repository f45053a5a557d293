import { resolveSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { wavenet } from './wavenet.js';

/**
 * Q levels, R residual, G gated (dilation) and S skip channels, kernel k, n dilated layers:
 * embedding Q*R; per layer two gated convs 2*(k*R*G + G), skip 1x1 G*S + S and (all but the
 * last) residual 1x1 G*R + R; head S*S + S and S*Q + Q.
 */
function wavenetParams(Q: number, R: number, G: number, S: number, k: number, n: number) {
  const layer = 2 * (k * R * G + G) + G * S + S;
  return Q * R + n * layer + (n - 1) * (G * R + R) + S * S + S + S * Q + Q;
}

describe('wavenet', () => {
  it('defaults: 8 dilated layers (1..128), 256 levels, 32/32/64 channels', () => {
    const model = resolveSpec(wavenet());
    expect(model.trainableParams).toBe(wavenetParams(256, 32, 32, 64, 2, 8));
    expect(model.trainableParams).toBe(86_560);
    expect(model.outputs[0]?.shape).toEqual([null, 256]);
    const dilations = model.nodes
      .filter((n) => n.path.startsWith('filter'))
      .map((n) => (n.layer as { dilationRate: number }).dilationRate);
    expect(dilations).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    const gated = model.nodes.find((n) => n.path === 'gated3');
    expect(gated?.inputs.map((t) => t.name)).toEqual(['filter3', 'gate3']);
    expect(model.nodes.find((n) => n.path === 'skips')?.inputs).toHaveLength(8);
  });

  it('two stacks restart the dilations; one layer sums a single skip', () => {
    const two = resolveSpec(wavenet({ layers: 3, stacks: 2, residualChannels: 8 }));
    const dilations = two.nodes
      .filter((n) => n.path.startsWith('gate') && !n.path.startsWith('gated'))
      .map((n) => (n.layer as { dilationRate: number }).dilationRate);
    expect(dilations).toEqual([1, 2, 4, 1, 2, 4]);
    expect(two.trainableParams).toBe(wavenetParams(256, 8, 32, 64, 2, 6));
    const one = resolveSpec(wavenet({ layers: 1, quantization: 16 }));
    expect(one.trainableParams).toBe(wavenetParams(16, 32, 32, 64, 2, 1));
    expect(wavenet().training?.recipe).toEqual({ type: 'causalLm' });
  });

  it('rejects bad sizes', () => {
    expect(() => wavenet({ layers: 0 })).toThrow(
      'wavenet: layers must be a positive integer, got 0',
    );
    expect(() => wavenet({ layers: 31 })).toThrow('wavenet: layers must be at most 30, got 31');
  });
});
