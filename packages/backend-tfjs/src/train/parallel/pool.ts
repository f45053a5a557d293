// The training threads: start, request, wait, release. A step waits for its replies
// synchronously (Atomics.wait on a shared Int32 per thread, then receiveMessageOnPort), so a
// training step stays a plain synchronous call, as on one thread; starting waits asynchronously,
// which lets Node report a thread that fails to load. Threads outlive a run: released ones wait,
// idle and unreferenced (they never keep the process alive), for the next run on the same engine,
// which then skips loading tfjs and the engine again (about a second per thread).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import type {
  ModelRequest,
  StepRequest,
  ThreadInit,
  ThreadReply,
  ThreadRequest,
} from './protocol.js';
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
  engine: string;
  worker: Worker;
  port: MessagePort;
  signal: Int32Array;
  /** Set by the worker's 'error' / 'exit' events (delivered while the event loop runs). */
  failure?: string;
  exited: boolean;
  /** Answered 'ready' once: tfjs and the engine are loaded. */
  started: boolean;
  /** A step was sent and its reply not read yet. */
  busy: boolean;
}

/** Released threads by engine, ready for the next run. */
const idle = new Map<string, Thread[]>();

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

/**
 * A worker with Node's flags, except those about the main script's own source text; when Node
 * refuses one of them for workers (process-wide flags such as --trace-gc), with none.
 */
function newWorker(init: ThreadInit, port: MessagePort): Worker {
  const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
  try {
    return new Worker(workerFile(), { workerData: init, transferList: [port], execArgv });
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    return new Worker(workerFile(), { workerData: init, transferList: [port], execArgv: [] });
  }
}

function spawn(engine: string): Thread {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const init: ThreadInit = { engine, signal: signal.buffer as SharedArrayBuffer, port: port2 };
  const worker = newWorker(init, port2);
  const thread: Thread = {
    engine,
    worker,
    port: port1,
    signal,
    exited: false,
    started: false,
    busy: false,
  };
  worker.on('error', (e) => {
    thread.failure = e.message;
  });
  worker.on('exit', () => {
    thread.exited = true;
  });
  // Neither keeps the process alive: steps wait synchronously, and idle threads should not.
  worker.unref();
  port1.unref();
  return thread;
}

/** Takes `count` threads of `engine`: idle ones first, new ones for the rest. */
function acquire(engine: string, count: number): Thread[] {
  const ready = (idle.get(engine) ?? []).filter((t) => !t.exited && !t.failure);
  const taken = ready.splice(0, count);
  idle.set(engine, ready);
  while (taken.length < count) taken.push(spawn(engine));
  return taken;
}

/** The model request of every thread, but for `grads`: one buffer per thread. */
export type ModelOptions = Omit<ModelRequest, 'type' | 'grads'> & {
  engine: string;
  grads: SharedArrayBuffer[];
};

export class TrainingThreads {
  private broken: string | undefined;
  private released = false;

  private constructor(private readonly threads: Thread[]) {}

  /** `count` threads with `options`' model built, once each has answered (or one failed). */
  static async start(count: number, options: ModelOptions): Promise<TrainingThreads> {
    const { engine, grads, ...model } = options;
    const pool = new TrainingThreads(acquire(engine, count));
    try {
      for (const [slot, t] of pool.threads.entries()) {
        if (t.started) continue;
        await pool.expectReady(slot, 'failed to start');
        t.started = true;
      }
      pool.threads.forEach((t, slot) => {
        post(t, { type: 'model', ...model, grads: grads[slot] as SharedArrayBuffer });
      });
      for (const slot of pool.threads.keys())
        await pool.expectReady(slot, 'could not build the model');
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
    thread.busy = true;
    post(thread, request, [...buffersOf(request.x), ...buffersOf(request.y)]);
  }

  /** Blocks until thread `slot` replies; a failed or stopped thread throws. */
  receive(slot: number): Extract<ThreadReply, { type: 'result' }> {
    const thread = this.threads[slot] as Thread;
    for (;;) {
      const got = receiveMessageOnPort(thread.port);
      if (got) {
        thread.busy = false;
        const reply = got.message as ThreadReply;
        if (reply.type === 'result') return reply;
        throw this.unexpected(slot, reply);
      }
      if (thread.worker.threadId === -1 || thread.exited)
        throw this.fail(
          `training thread ${slot + 1} stopped unexpectedly${thread.failure ? `: ${thread.failure}` : ''}`,
        );
      Atomics.wait(thread.signal, 0, 0, LIVENESS_MS);
    }
  }

  /**
   * Ends this run's use of the threads: healthy ones free their model and go idle for the next
   * run; after a failure (their state unknown) all of them stop, and so does a thread whose reply
   * was never read (the main thread failed mid-step): the next run must not read it.
   */
  dispose(): void {
    if (this.released) return;
    this.released = true;
    for (const t of this.threads) {
      if (this.broken || !t.started || t.exited || t.busy) {
        t.port.close();
        void t.worker.terminate();
        continue;
      }
      post(t, { type: 'release' });
      idle.set(t.engine, [...(idle.get(t.engine) ?? []), t]);
    }
    this.broken ??= 'the training threads were released';
  }

  /** Waits without blocking the event loop (start-up), so a thread that dies is reported. */
  private async expectReady(slot: number, what: string): Promise<void> {
    const thread = this.threads[slot] as Thread;
    for (;;) {
      const got = receiveMessageOnPort(thread.port);
      if (got) {
        const reply = got.message as ThreadReply;
        if (reply.type === 'ready') return;
        if (reply.type === 'error')
          throw this.fail(`training thread ${slot + 1} ${what}: ${reply.message}`, reply.stack);
        throw this.unexpected(slot, reply);
      }
      if (thread.exited || thread.failure)
        throw this.fail(`training thread ${slot + 1} ${what}: ${thread.failure ?? 'it exited'}`);
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

/** Clears the thread's signal (no reply pending now), then sends. */
function post(thread: Thread, request: ThreadRequest, transfer: ArrayBuffer[] = []): void {
  Atomics.store(thread.signal, 0, 0);
  thread.port.postMessage(request, transfer);
}
