import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  readSafetensors,
  tensorToFloat32,
  tensorToTypedArray,
  writeSafetensors,
} from '@netspec/spec';
import { writeFileAtomic } from '../io/atomic.js';
import { loadWeights, saveWeights } from '../model/build.js';
import type { NetspecModel } from '../model/model.js';
import { tf } from '../tf.js';
import type { LoopState } from './loop.js';

/** The files of a run directory (DESIGN.md): spec, weights, optimizer state, history. */
export const RUN_FILES = {
  spec: 'spec.json',
  weights: 'weights.safetensors',
  optimizer: 'optimizer.safetensors',
  state: 'state.json',
  history: 'history.json',
} as const;

/** What a checkpoint holds besides the weights. */
export interface CheckpointState {
  format: 'netspec-checkpoint';
  version: 1;
  seed: number;
  engine: string;
  loop: LoopState;
}

/** Optimizer slots of every optimizer of a run, by name, as F32 tensors. */
export type OptimizerSlots = Record<string, tf.Tensor>;

function slotsFile(slots: OptimizerSlots): Uint8Array {
  const tensors = Object.fromEntries(
    Object.entries(slots).map(([k, t]) => [
      k,
      t.dtype === 'int32'
        ? { dtype: 'I32' as const, shape: t.shape, data: t.dataSync() as Int32Array }
        : { dtype: 'F32' as const, shape: t.shape, data: t.dataSync() as Float32Array },
    ]),
  );
  return writeSafetensors(tensors);
}

/** A checkpoint's files, in the order they are written. */
export type CheckpointFiles = [name: string, data: Uint8Array | string][];

/** The files of a checkpoint, taken now (synchronously) so training can go on while they are written. */
export function snapshotCheckpoint(
  model: NetspecModel,
  slots: OptimizerSlots,
  state: CheckpointState,
): CheckpointFiles {
  const json = (x: unknown) => `${JSON.stringify(x, null, 2)}\n`;
  return [
    [RUN_FILES.spec, json(model.resolved.spec)],
    [RUN_FILES.weights, saveWeights(model)],
    [RUN_FILES.optimizer, slotsFile(slots)],
    [RUN_FILES.history, json(state.loop.history)],
    // Last: it says how far the run got, so it never points past the files written before it.
    [RUN_FILES.state, json(state)],
  ];
}

/** Writes checkpoint files into `dir`, each atomically, in order. */
export async function writeCheckpoint(dir: string, files: CheckpointFiles): Promise<void> {
  for (const [name, data] of files) await writeFileAtomic(join(dir, name), data);
}

/** Reads a checkpoint's state, weights (into `model`) and optimizer slots. */
export async function loadCheckpoint(
  dir: string,
  model: NetspecModel,
): Promise<{ state: CheckpointState; slots: OptimizerSlots }> {
  const state = JSON.parse(await readFile(join(dir, RUN_FILES.state), 'utf8')) as CheckpointState;
  if (state.format !== 'netspec-checkpoint' || state.version !== 1)
    throw new Error(`${join(dir, RUN_FILES.state)}: not a netspec checkpoint (version 1)`);
  loadWeights(model, new Uint8Array(await readFile(join(dir, RUN_FILES.weights))));
  const file = readSafetensors(new Uint8Array(await readFile(join(dir, RUN_FILES.optimizer))));
  const slots: OptimizerSlots = {};
  for (const [name, t] of file.tensors)
    slots[name] =
      t.dtype === 'I32'
        ? tf.tensor(tensorToTypedArray(t) as Int32Array, t.shape, 'int32')
        : tf.tensor(tensorToFloat32(t), t.shape);
  return { state, slots };
}
