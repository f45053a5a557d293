import { describe, expect, it } from 'vitest';
import { formatLogs, formatSeconds, jsonReporter, lineReporter } from './train-report.js';

describe('training progress', () => {
  const epoch = { epoch: 0, epochs: 2, logs: { loss: 0.123456, accuracy: 0.9 }, seconds: 75 };

  it('formats logs and durations', () => {
    expect(formatLogs({ loss: 0.123456, step: 3 })).toBe('loss 0.1235  step 3');
    expect(formatSeconds(4.26)).toBe('4.3s');
    expect(formatSeconds(75)).toBe('1m15s');
    expect(formatSeconds(Number.POSITIVE_INFINITY)).toBe('?');
  });

  it('prints one line per epoch, no batch lines, when not on a terminal', () => {
    let out = '';
    const r = lineReporter((s) => {
      out += s;
    });
    r.batch({ ...epoch, batch: 1, batches: 9, samplesPerSecond: 10, etaSeconds: 1 });
    r.epoch(epoch);
    r.message('done');
    expect(out).toBe('epoch 1/2  loss 0.1235  accuracy 0.9000  (1m15s)\ndone\n');
  });

  it('prints one JSON event per line with --json', () => {
    let out = '';
    const r = jsonReporter((s) => {
      out += s;
    });
    r.epoch(epoch);
    r.message('hi');
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events).toEqual([
      { event: 'epoch', ...epoch },
      { event: 'message', text: 'hi' },
    ]);
  });
});
