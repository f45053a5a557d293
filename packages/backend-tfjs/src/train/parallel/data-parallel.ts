// Data-parallel training on several threads (tfjs's wasm and cpu engines run each kernel on one
// core). Each step:
//   1. the main thread copies the model's weights into a shared buffer;
//   2. the batch splits into contiguous shards (threads.ts: a function of the batch size and the
//      thread count only); shards 1.. go to the training threads, shard 0 stays here;
//   3. every thread computes its shard's loss and gradient with the same objective (losses,
//      class and loss weights, regularization, activity loss) and its own seed (shard.ts);
//   4. the main thread combines the gradients weighted by shard size, always in shard order, so
//      the sum is the same whatever thread finishes first; the optimizer then steps once, here.
// Because every loss is a mean over its samples (Keras's sum_over_batch_size), the weighted sum is
// the whole batch's gradient, up to float summation order. Batch norm normalizes each shard by its
// own statistics, and its moving statistics are the main thread's shard's (as PyTorch's
// DataParallel): the threads' copies are overwritten from the main model every step.
import { engine } from '../../engine.js';
import { tf } from '../../tf.js';
import type { Batch } from '../examples.js';
import type { SupervisedObjective } from '../supervised.js';
import { float32Tensor, float32Values } from './heap.js';
import { TrainingThreads } from './pool.js';
import { shardGradients, shardSeed } from './shard.js';
import { DATA_PARALLEL_ENGINES, resolveThreads, shardRanges } from './threads.js';
import { SharedArrays, SharedWeights } from './weights.js';
import { fromWireRecord, sliceRecord, toWireRecord } from './wire.js';

/**
 * One shard's targets and outputs, for the metrics (the caller disposes them); empty for the
 * training threads' shards when no metric needs them.
 */
export interface ShardOutputs {
  y: Record<string, tf.Tensor>;
  outputs: Record<string, tf.Tensor>;
}

export interface BatchGradients {
  /** The batch's loss: the shards' losses weighted by their sizes. */
  loss: number;
  /** One per trainable variable (the caller disposes them). */
  grads: tf.Tensor[];
  shards: ShardOutputs[];
}

/** The engine name that threads load: the one in use, or tfjs's backend before any was chosen. */
function engineName(): string {
  return engine()?.name ?? tf.getBackend();
}

/**
 * Threads that train on the engine in use with `requested` threads (else NETSPEC_THREADS, else
 * the machine's cores): 1 on engines that run their kernels on every core themselves
 * (tfjs-node), where threads would only compete. Throws a ThreadsError on a bad count.
 */
export function engineThreads(requested?: number | 'auto'): { threads: number; reason?: string } {
  const threads = resolveThreads(requested);
  if (threads === 1 || DATA_PARALLEL_ENGINES.includes(engineName())) return { threads };
  return { threads: 1, reason: `${engineName()} runs its kernels on every core itself` };
}

export class DataParallel {
  private readonly variables: tf.Variable[];
  /** The combined gradients, reused every step (tensors made from them copy them). */
  private readonly sums: Float32Array[];

  private constructor(
    private readonly objective: SupervisedObjective,
    private readonly threads: TrainingThreads,
    private readonly weights: SharedWeights,
    /** Each thread's gradients, written by the thread. */
    private readonly threadGrads: SharedArrays[],
  ) {
    this.variables = objective.model.trainableVariables();
    this.sums = this.variables.map((v) => new Float32Array(v.size));
  }

  /**
   * `threads` threads in all (this one and threads - 1 started), or undefined when the engine
   * runs its kernels on every core itself (tfjs-node): there threads would only compete.
   * `outputs`: whether the shards' outputs come back (for metrics).
   */
  static async start(objective: SupervisedObjective, threads: number, outputs: boolean) {
    if (!DATA_PARALLEL_ENGINES.includes(engineName())) return undefined;
    const weights = SharedWeights.of(objective.model);
    const sizes = objective.model.trainableVariables().map((v) => v.size);
    const grads = Array.from({ length: threads - 1 }, () => new SharedArrays(sizes));
    const pool = await TrainingThreads.start(threads - 1, {
      engine: engineName(),
      spec: objective.model.resolved.spec,
      training: objective.training,
      layout: weights.layout,
      weights: weights.buffer,
      grads: grads.map((g) => g.buffer),
      outputs,
    });
    return new DataParallel(objective, pool, weights, grads);
  }

  /** The shards of a batch of `size` samples; one shard means it trains on this thread alone. */
  shardsOf(size: number): [number, number][] {
    return shardRanges(size, this.threads.size + 1);
  }

  /** The loss and gradient of `batch` over the shards, combined deterministically. */
  gradients(batch: Batch, seed: number): BatchGradients {
    const ranges = this.shardsOf(batch.size);
    this.weights.write(this.objective.model);
    const x = toWireRecord(batch.x);
    const y = toWireRecord(batch.y);
    // Every other shard first, so the threads work while this one computes shard 0.
    ranges.slice(1).forEach(([start, end], i) => {
      this.threads.request(i, {
        type: 'step',
        seed: shardSeed(seed, i + 1),
        x: sliceRecord(x, start, end),
        y: sliceRecord(y, start, end),
        size: end - start,
      });
    });
    const [start0, end0] = ranges[0] as [number, number];
    const local = {
      x: fromWireRecord(sliceRecord(x, start0, end0)),
      y: fromWireRecord(sliceRecord(y, start0, end0)),
      size: end0 - start0,
    };
    const shards: ShardOutputs[] = [];
    let mine: tf.Tensor[] = [];
    try {
      const local0 = shardGradients(this.objective, this.variables, local, shardSeed(seed, 0));
      mine = local0.grads;
      shards.push({ y: local.y, outputs: local0.outputs });
      const parts: Part[] = [{ loss: local0.loss, grads: [], size: local.size }];
      ranges.slice(1).forEach(([start, end], i) => {
        const r = this.threads.receive(i);
        const grads = (this.threadGrads[i] as SharedArrays).views;
        parts.push({ loss: r.loss, grads, size: end - start });
        const some = Object.keys(r.outputs).length > 0;
        shards.push({
          y: some ? fromWireRecord(sliceRecord(y, start, end)) : {},
          outputs: fromWireRecord(r.outputs),
        });
      });
      // This thread's gradients straight from the engine, read now that nothing allocates
      // until the sums are done (a view of wasm's heap would not survive its growth).
      (parts[0] as Part).grads = mine.map(float32Values);
      const loss = combine(parts, batch.size, this.sums);
      const tensors = this.sums.map((g, v) =>
        float32Tensor(g, (this.variables[v] as tf.Variable).shape),
      );
      return { loss, grads: tensors, shards };
    } catch (e) {
      for (const s of shards) tf.dispose([...Object.values(s.y), ...Object.values(s.outputs)]);
      if (shards.length === 0) tf.dispose(Object.values(local.y));
      throw e;
    } finally {
      tf.dispose([...Object.values(local.x), ...mine]);
    }
  }

  dispose(): void {
    this.threads.dispose();
  }
}

interface Part {
  loss: number;
  /** One per variable. */
  grads: Float32Array[];
  size: number;
}

/**
 * Σ_k (n_k / n) · part_k into `sums`, in shard order: the same float operations every run. Each
 * term is computed in double precision and the running sum rounded to float32 after each shard.
 */
function combine(parts: Part[], n: number, sums: Float32Array[]): number {
  let loss = 0;
  for (const p of parts) loss += (p.size / n) * p.loss;
  sums.forEach((sum, v) => {
    parts.forEach((p, k) => {
      const w = p.size / n;
      const g = p.grads[v] as Float32Array;
      if (k === 0) for (let i = 0; i < sum.length; i++) sum[i] = w * (g[i] as number);
      else for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + w * (g[i] as number);
    });
  });
  return loss;
}
