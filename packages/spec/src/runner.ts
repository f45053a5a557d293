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

/**
 * A causal language model fed one step at a time (batch 1): what text generation drives. An
 * engine implements it with a KV cache (`cached`) or by recomputing the held window each step.
 */
export interface TokenScorer {
  /** The engine that runs, as in ModelRunner. */
  readonly engine: string;
  readonly vocabularySize: number;
  /** The most positions the model sees at once (its position table). */
  readonly contextLength: number;
  /** Whether past positions come from a KV cache rather than being recomputed. */
  readonly cached: boolean;
  /** How many positions the scorer holds now. */
  readonly length: number;
  /**
   * Appends `tokens` to the held sequence and returns the logits (vocabularySize) of the next
   * token. Throws when the held sequence would pass contextLength.
   */
  append(tokens: readonly number[]): Promise<Float32Array>;
  /** Forgets the held sequence (and its cache). */
  reset(): void;
  dispose(): Promise<void>;
}
