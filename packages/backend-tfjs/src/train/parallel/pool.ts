// The training threads: start, request, wait, stop. A step waits for its replies synchronously
// (Atomics.wait on a shared slot per thread, then receiveMessageOnPort), so a training step stays
// a plain synchronous call, as on one thread; starting waits asynchronously, which lets Node
// report a thread that fails to load.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import type { StepRequest, ThreadInit, ThreadReply } from './protocol.js';
import type { WireRecord } from './wire.js';
import { buffersOf } from './wire.js';

/** A training thread failed or stopped; the message says which and why. */
export class TrainingThreadError extends Error {
  override readonly name = 'TrainingThreadError';
  constructor(
    message: string,
    /** The failing thread's own stack, when it sent one. */
    readonly threadStack?: string,
  ) {
    super(message);
  }
}

/** How often a blocked wait looks whether its thread is still alive. */
const LIVENESS_MS = 200;

interface Thread {
  worker: Worker;
  port: MessagePort;
  /** Set by the worker's 'error' / 'exit' events (delivered while the event loop runs). */
  failure?: string;
  exited: boolean;
}

/**
 * The built worker entry. Beside this module in dist/; when this module runs from src/ as
 * TypeScript (vitest), the thread still runs the built JavaScript in dist/ (tests build first).
 */
function workerFile(): URL {
  const beside = new URL('./worker.js', import.meta.url);
  if (existsSync(beside)) return beside;
  const built = new URL('../../../dist/train/parallel/worker.js', import.meta.url);
  if (existsSync(built)) return built;
  throw new TrainingThreadError(
    `training threads run the built package, but ${fileURLToPath(built)} is missing: build @netspec/backend-tfjs first (pnpm build)`,
  );
}

export type ThreadOptions = Omit<ThreadInit, 'signal' | 'slot' | 'port'>;

export class TrainingThreads {
  private broken: string | undefined;

  private constructor(
    private readonly threads: Thread[],
    private readonly signal: Int32Array,
  ) {}

  /** Starts `count` threads and waits until each has built its model (or one failed). */
  static async start(count: number, options: ThreadOptions): Promise<TrainingThreads> {
    const file = workerFile();
    const signal = new Int32Array(new SharedArrayBuffer(4 * count));
    const threads: Thread[] = [];
    const pool = new TrainingThreads(threads, signal);
    try {
      for (let slot = 0; slot < count; slot++) {
        const { port1, port2 } = new MessageChannel();
        const init: ThreadInit = {
          ...options,
          signal: signal.buffer as SharedArrayBuffer,
          slot,
          port: port2,
        };
        const worker = new Worker(file, { workerData: init, transferList: [port2] });
        const thread: Thread = { worker, port: port1, exited: false };
        worker.on('error', (e) => {
          thread.failure = e.message;
        });
        worker.on('exit', () => {
          thread.exited = true;
        });
        // Neither keeps the process alive: steps wait synchronously, and dispose ends them.
        worker.unref();
        port1.unref();
        threads.push(thread);
      }
      for (let slot = 0; slot < count; slot++) {
        const reply = await pool.poll(slot);
        if (reply.type !== 'ready') throw pool.unexpected(slot, reply);
      }
    } catch (e) {
      pool.dispose();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.threads.length;
  }

  /** Sends thread `slot` a shard; its reply is read with `receive`. */
  request(slot: number, request: StepRequest): void {
    if (this.broken) throw new TrainingThreadError(this.broken);
    const thread = this.threads[slot] as Thread;
    Atomics.store(this.signal, slot, 0);
    const transfer = [...buffersOf(request.x as WireRecord), ...buffersOf(request.y as WireRecord)];
    thread.port.postMessage(request, transfer);
  }

  /** Blocks until thread `slot` replies; a failed or stopped thread throws. */
  receive(slot: number): Extract<ThreadReply, { type: 'result' }> {
    const thread = this.threads[slot] as Thread;
    for (;;) {
      const got = receiveMessageOnPort(thread.port);
      if (got) {
        const reply = got.message as ThreadReply;
        if (reply.type === 'result') return reply;
        throw this.unexpected(slot, reply);
      }
      if (thread.worker.threadId === -1 || thread.exited)
        throw this.fail(
          `training thread ${slot + 1} stopped unexpectedly${thread.failure ? `: ${thread.failure}` : ''}`,
        );
      Atomics.wait(this.signal, slot, 0, LIVENESS_MS);
    }
  }

  /** Stops every thread (they hold nothing the main thread needs). */
  dispose(): void {
    this.broken ??= 'the training threads were stopped';
    for (const t of this.threads) {
      t.port.close();
      void t.worker.terminate();
    }
  }

  /** Waits without blocking the event loop (start-up): a thread that dies is reported. */
  private async poll(slot: number): Promise<ThreadReply> {
    const thread = this.threads[slot] as Thread;
    for (;;) {
      const got = receiveMessageOnPort(thread.port);
      if (got) return got.message as ThreadReply;
      if (thread.exited || thread.failure)
        throw this.fail(
          `training thread ${slot + 1} failed to start: ${thread.failure ?? 'it exited'}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private unexpected(slot: number, reply: ThreadReply): TrainingThreadError {
    if (reply.type === 'error')
      return this.fail(`training thread ${slot + 1} failed: ${reply.message}`, reply.stack);
    return this.fail(`training thread ${slot + 1} sent an unexpected "${reply.type}"`);
  }

  /** After a failure the threads' state is unknown: every later request throws too. */
  private fail(message: string, threadStack?: string): TrainingThreadError {
    this.broken = message;
    return new TrainingThreadError(message, threadStack);
  }
}
