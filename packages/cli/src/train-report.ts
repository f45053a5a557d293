import { SingleBar } from 'cli-progress';

// How `netspec train` shows progress: a bar on a terminal, one line per epoch otherwise, or one
// JSON event per line (--json) for scripts. The events are backend-tfjs's onBatch / onEpoch.

export interface BatchInfo {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  logs: Record<string, number>;
  samplesPerSecond: number;
  etaSeconds: number;
}

export interface EpochInfo {
  epoch: number;
  epochs: number;
  logs: Record<string, number>;
  seconds: number;
}

export interface TrainReporter {
  start(info: Record<string, unknown>): void;
  batch(e: BatchInfo): void;
  epoch(e: EpochInfo): void;
  /** A line for the user (not an event); --json prints it as {"event":"message"}. */
  message(text: string): void;
  end(info: Record<string, unknown>): void;
}

/** `loss 0.1234 accuracy 0.9512 valLoss ...` with 4 significant digits. */
export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join('  ');
}

export const formatSeconds = (s: number): string =>
  !Number.isFinite(s) || s < 0
    ? '?'
    : s < 60
      ? `${s.toFixed(1)}s`
      : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;

export function jsonReporter(write: (s: string) => void): TrainReporter {
  const emit = (event: string, data: object) => write(`${JSON.stringify({ event, ...data })}\n`);
  return {
    start: (info) => emit('start', info),
    batch: (e) => emit('batch', e),
    epoch: (e) => emit('epoch', e),
    message: (text) => emit('message', { text }),
    end: (info) => emit('end', info),
  };
}

/** One line per epoch on `out`; messages too. For logs and pipes. */
export function lineReporter(out: (s: string) => void): TrainReporter {
  return {
    start: () => {},
    batch: () => {},
    epoch: (e) =>
      out(
        `epoch ${e.epoch + 1}/${e.epochs}  ${formatLogs(e.logs)}  (${formatSeconds(e.seconds)})\n`,
      ),
    message: (text) => out(`${text}\n`),
    end: () => {},
  };
}

/** A cli-progress bar on stderr per epoch: batches, loss and metrics, samples/s and ETA. */
export function barReporter(out: (s: string) => void, stream = process.stderr): TrainReporter {
  const lines = lineReporter(out);
  let bar: SingleBar | undefined;
  let barEpoch = -1;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    start: () => {},
    batch(e) {
      if (!bar || barEpoch !== e.epoch) {
        stop();
        barEpoch = e.epoch;
        bar = new SingleBar({
          stream,
          format: `epoch ${e.epoch + 1}/${e.epochs} [{bar}] {value}/{total}  {logs}  {speed} samples/s  ETA {left}`,
          hideCursor: true,
          clearOnComplete: true,
          barsize: 24,
        });
        bar.start(e.batches, 0, { logs: '', speed: '?', left: '?' });
      }
      bar.update(e.batch + 1, {
        logs: formatLogs(e.logs),
        speed: Math.round(e.samplesPerSecond),
        left: formatSeconds(e.etaSeconds),
      });
    },
    epoch(e) {
      stop();
      lines.epoch(e);
    },
    message(text) {
      stop();
      lines.message(text);
    },
    end: stop,
  };
}
