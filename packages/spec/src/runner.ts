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

/**
 * Why `inputs` cannot feed a runner whose inputs are `inputNames` (a missing or unexpected name,
 * or a value count that is not its shape's), or undefined when they can. Runners wrap it in their
 * own error class.
 */
export function feedProblem(
  inputNames: readonly string[],
  inputs: Record<string, RunnerTensor>,
): string | undefined {
  const missing = inputNames.filter((n) => !Object.hasOwn(inputs, n));
  const extra = Object.keys(inputs).filter((n) => !inputNames.includes(n));
  if (missing.length || extra.length) {
    return `inputs: expected ${inputNames.join(', ')}; missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`;
  }
  for (const [name, t] of Object.entries(inputs)) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count) {
      return `input "${name}": ${t.data.length} values for shape [${t.shape.join(', ')}]`;
    }
  }
  return undefined;
}
