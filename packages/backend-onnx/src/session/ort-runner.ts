import { feedProblem } from '@netspec/spec';
import { SessionError } from '../errors.js';
import type { ModelRunner, RunnerTensor } from './runner.js';

// The part of onnxruntime's API (the same in -node and -web) that a runner uses.
interface OrtTensor {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}
interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}
export interface OrtModule {
  InferenceSession: { create(bytes: Uint8Array, options?: object): Promise<unknown> };
  Tensor: new (
    type: 'float32' | 'int32',
    data: Float32Array | Int32Array,
    dims: readonly number[],
  ) => unknown;
}

function toRunnerTensor(name: string, t: OrtTensor): RunnerTensor {
  if (!(t.data instanceof Float32Array || t.data instanceof Int32Array)) {
    throw new SessionError(`output "${name}": dtype ${t.type} is not float32 or int32`);
  }
  return { data: t.data, shape: [...t.dims] };
}

/** A ModelRunner over an onnxruntime session (node or web: their session APIs are the same). */
export async function ortRunner(
  engine: string,
  ort: OrtModule,
  bytes: Uint8Array,
  options: object,
): Promise<ModelRunner> {
  let session: OrtSession;
  try {
    session = (await ort.InferenceSession.create(bytes, options)) as OrtSession;
  } catch (e) {
    throw new SessionError(
      `${engine}: the model did not load: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  let disposed = false;
  return {
    engine,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    async run(inputs) {
      if (disposed) throw new SessionError(`${engine}: the runner was disposed`);
      const problem = feedProblem(session.inputNames, inputs);
      if (problem) throw new SessionError(problem);
      const feeds: Record<string, OrtTensor> = {};
      for (const [name, t] of Object.entries(inputs)) {
        const type = t.data instanceof Float32Array ? 'float32' : 'int32';
        feeds[name] = new ort.Tensor(type, t.data, t.shape) as OrtTensor;
      }
      const results = await session.run(feeds);
      const out: Record<string, RunnerTensor> = {};
      for (const [name, t] of Object.entries(results)) out[name] = toRunnerTensor(name, t);
      return out;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}
