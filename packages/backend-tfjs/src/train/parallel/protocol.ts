// What the main thread and a training thread say to each other, over one MessageChannel each.
import type { MessagePort } from 'node:worker_threads';
import type { Training } from '@netspec/spec';
import type { WeightLayout } from './weights.js';
import type { WireRecord } from './wire.js';

/** What a training thread starts with (its workerData): it loads the engine, then waits. */
export interface ThreadInit {
  /** The engine the main thread trains on: the thread loads the same one. */
  engine: string;
  /** One Int32 the thread sets to 1 (and notifies) after each reply. */
  signal: SharedArrayBuffer;
  port: MessagePort;
}

/** Build this model (replacing any earlier one); replies 'ready'. */
export interface ModelRequest {
  type: 'model';
  /** The model's spec and the training section (with the caller's overrides). */
  spec: unknown;
  training: Training;
  layout: WeightLayout;
  weights: SharedArrayBuffer;
  /** Where this thread writes its gradients: one float32 array per trainable variable, in order. */
  grads: SharedArrayBuffer;
  /** Whether results carry the shard's outputs (the main thread's metrics need them). */
  outputs: boolean;
}

/** Compute one shard's gradient with the weights now in the shared buffer; replies 'result'. */
export interface StepRequest {
  type: 'step';
  seed: number;
  x: WireRecord;
  y: WireRecord;
  size: number;
}

/** Training ended: free the model (the thread stays, idle, for the next run); no reply. */
export interface ReleaseRequest {
  type: 'release';
}

export type ThreadRequest = ModelRequest | StepRequest | ReleaseRequest;

/** Thread to main. */
export type ThreadReply =
  | { type: 'ready' }
  | { type: 'result'; loss: number; outputs: WireRecord }
  | { type: 'error'; message: string; stack?: string | undefined };
