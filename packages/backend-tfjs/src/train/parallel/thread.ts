// What a training thread does: the same model on the same engine as the main thread, and on
// each request the loss and gradient of one shard with the main thread's current weights.

import type { EngineName } from '../../engine.js';
import { useEngine } from '../../engine.js';
import { buildModel } from '../../model/build.js';
import { disposeBatch } from '../examples.js';
import { SupervisedObjective } from '../supervised.js';
import type { StepRequest, ThreadInit, ThreadReply } from './protocol.js';
import { shardGradients } from './shard.js';
import { SharedWeights } from './weights.js';
import { buffersOf, fromWireRecord, toWireRecord } from './wire.js';

export type ThreadStep = (r: StepRequest) => { message: ThreadReply; transfer: ArrayBuffer[] };

export async function startThread(init: ThreadInit): Promise<ThreadStep> {
  await useEngine(init.engine as EngineName);
  // The initial values do not matter: every step reads the main thread's weights first.
  const model = buildModel(init.spec, { seed: 0 });
  const weights = new SharedWeights(init.layout, init.weights);
  weights.check(model);
  const objective = new SupervisedObjective(model, init.training);
  const variables = model.trainableVariables();
  return (request) => {
    weights.read(model);
    const batch = {
      x: fromWireRecord(request.x),
      y: fromWireRecord(request.y),
      size: request.size,
    };
    try {
      const r = shardGradients(objective, variables, batch, request.seed);
      const grads = r.grads.map((g) => (g.dataSync() as Float32Array).slice());
      const outputs = toWireRecord(r.outputs);
      r.grads.forEach((g) => {
        g.dispose();
      });
      Object.values(r.outputs).forEach((t) => {
        t.dispose();
      });
      const transfer = [...grads.map((g) => g.buffer as ArrayBuffer), ...buffersOf(outputs)];
      return { message: { type: 'result', loss: r.loss, grads, outputs }, transfer };
    } finally {
      disposeBatch(batch);
    }
  };
}
