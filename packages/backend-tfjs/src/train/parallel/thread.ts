// What a training thread does: the same model on the same engine as the main thread, and on
// each request the loss and gradient of one shard with the main thread's current weights.
import { type EngineName, useEngine } from '../../engine.js';
import { buildModel } from '../../model/build.js';
import type { NetspecModel } from '../../model/model.js';
import { disposeBatch } from '../examples.js';
import { SupervisedObjective } from '../supervised.js';
import { float32Values } from './heap.js';
import type { ModelRequest, StepRequest, ThreadReply, ThreadRequest } from './protocol.js';
import { shardGradients } from './shard.js';
import { SharedArrays, SharedWeights } from './weights.js';
import { buffersOf, fromWireRecord, toWireRecord } from './wire.js';

type Answer = { message: ThreadReply; transfer: ArrayBuffer[] } | undefined;

interface Loaded {
  request: ModelRequest;
  model: NetspecModel;
  weights: SharedWeights;
  grads: SharedArrays;
  objective: SupervisedObjective;
}

export class TrainingThread {
  private loaded: Loaded | undefined;

  static async start(engine: string): Promise<TrainingThread> {
    await useEngine(engine as EngineName);
    return new TrainingThread();
  }

  handle(request: ThreadRequest): Answer {
    switch (request.type) {
      case 'model':
        this.load(request);
        return { message: { type: 'ready' }, transfer: [] };
      case 'step':
        return this.step(request);
      case 'release':
        this.release();
        return undefined;
    }
  }

  private load(request: ModelRequest): void {
    this.release();
    // The initial values do not matter: every step reads the main thread's weights first.
    const model = buildModel(request.spec, { seed: 0 });
    const weights = new SharedWeights(request.layout, request.weights);
    weights.check(model);
    const grads = new SharedArrays(
      model.trainableVariables().map((v) => v.size),
      request.grads,
    );
    const objective = new SupervisedObjective(model, request.training);
    this.loaded = { request, model, weights, grads, objective };
  }

  private step(request: StepRequest): Answer {
    if (!this.loaded) throw new Error('a step arrived before any model');
    const { request: setup, model, weights, grads, objective } = this.loaded;
    weights.read(model);
    const batch = {
      x: fromWireRecord(request.x),
      y: fromWireRecord(request.y),
      size: request.size,
    };
    try {
      const r = shardGradients(objective, model.trainableVariables(), batch, request.seed);
      r.grads.forEach((g, v) => {
        (grads.views[v] as Float32Array).set(float32Values(g));
      });
      const outputs = setup.outputs ? toWireRecord(r.outputs) : {};
      for (const t of [...r.grads, ...Object.values(r.outputs)]) t.dispose();
      return { message: { type: 'result', loss: r.loss, outputs }, transfer: buffersOf(outputs) };
    } finally {
      disposeBatch(batch);
    }
  }

  private release(): void {
    this.loaded?.model.dispose();
    this.loaded = undefined;
  }
}
