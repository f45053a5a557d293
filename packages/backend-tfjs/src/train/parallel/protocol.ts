// What the main thread and a training thread say to each other, over one MessageChannel each.
import type { MessagePort } from 'node:worker_threads';
import type { Training } from '@netspec/spec';
import type { WeightLayout } from './weights.js';
import type { WireRecord } from './wire.js';

/** What a training thread starts with (its workerData). */
export interface ThreadInit {
  /** The engine the main thread trains on: the thread loads the same one. */
  engine: string;
  /** The model's spec and the training section (with the caller's overrides). */
  spec: unknown;
  training: Training;
  layout: WeightLayout;
  weights: SharedArrayBuffer;
  /** One Int32 slot per thread: set to 1 (and notified) after each reply. */
  signal: SharedArrayBuffer;
  slot: number;
  port: MessagePort;
}

/** Main to thread: compute one shard's gradient with the weights now in the shared buffer. */
export interface StepRequest {
  type: 'step';
  seed: number;
  x: WireRecord;
  y: WireRecord;
  size: number;
}

/** Thread to main. */
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'result'; loss: number; grads: Float32Array[]; outputs: WireRecord }
  | { type: 'error'; message: string; stack?: string | undefined };
