// The entry of a training thread (node:worker_threads). Kept free of static imports of the
// package, so that a failure to load or start it reaches the main thread as an error message
// rather than a thread that silently died.
import { workerData } from 'node:worker_threads';
import type { ThreadInit, ThreadReply, ThreadRequest } from './protocol.js';

const init = workerData as ThreadInit;
const signal = new Int32Array(init.signal);

/** Posts a reply, then wakes the main thread, which may be blocked waiting for it. */
function reply(message: ThreadReply, transfer: ArrayBuffer[] = []): void {
  init.port.postMessage(message, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

const failure = (e: unknown): ThreadReply => ({
  type: 'error',
  message: e instanceof Error ? e.message : String(e),
  stack: e instanceof Error ? e.stack : undefined,
});

process.on('uncaughtException', (e) => {
  reply(failure(e));
  process.exit(1);
});

try {
  const { TrainingThread } = await import('./thread.js');
  const thread = await TrainingThread.start(init.engine);
  init.port.on('message', (request: ThreadRequest) => {
    try {
      const answer = thread.handle(request);
      if (answer) reply(answer.message, answer.transfer);
    } catch (e) {
      reply(failure(e));
    }
  });
  reply({ type: 'ready' });
} catch (e) {
  reply(failure(e));
}
