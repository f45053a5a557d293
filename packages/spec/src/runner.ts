// The one interface every engine runs behind (DESIGN.md): tfjs, onnxruntime-node and
// onnxruntime-web, so tests, the CLI and benchmarks treat them the same. Types only.

/** A tensor crossing an engine boundary: row-major data and its full shape (batch first). */
export interface RunnerTensor {
  data: Float32Array | Int32Array;
  shape: number[];
}

/** One engine running one model. */
export interface ModelRunner {
  /** The engine that runs (`tfjs-wasm`, `ort-node`, `ort-web`, ...). */
  readonly engine: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Every output for the given inputs (all of them, by name). */
  run(inputs: Record<string, RunnerTensor>): Promise<Record<string, RunnerTensor>>;
  /** Frees the engine's resources; the runner cannot run afterwards. */
  dispose(): Promise<void>;
}
