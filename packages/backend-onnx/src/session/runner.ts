// ModelRunner moves to @netspec/spec (types only) so tfjs, the CLI and benchmarks share it;
// it lives here until then.

/** A tensor crossing an engine boundary: row-major data and its full shape (batch first). */
export interface RunnerTensor {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** One engine running one model: the same calls for tfjs, onnxruntime-node and onnxruntime-web. */
export interface ModelRunner {
  /** The engine that runs (`ort-node`, `ort-web`, ...). */
  readonly engine: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Every output for the given inputs (all of them, by name). */
  run(inputs: Record<string, RunnerTensor>): Promise<Record<string, RunnerTensor>>;
  /** Frees the engine's resources; the runner cannot run afterwards. */
  dispose(): Promise<void>;
}
