import type { ModelRunner, TokenScorer } from '@netspec/spec';

export interface RunnerScorerOptions {
  vocabularySize: number;
  /** The most positions the model takes (its position table). */
  contextLength: number;
  /** The token-id input (default: the model's only input). */
  input?: string;
  /** The logits output (default: the model's only output). */
  output?: string;
}

/**
 * A TokenScorer over any ModelRunner of a causal language model whose input is int32 token ids
 * (1, T), T free, and whose output is logits (1, T, vocabularySize). It keeps no KV cache: every
 * append runs the whole held sequence and returns the last position's logits.
 */
export function runnerScorer(runner: ModelRunner, options: RunnerScorerOptions): TokenScorer {
  const { vocabularySize, contextLength } = options;
  const positive = (x: unknown) => Number.isInteger(x) && (x as number) >= 1;
  if (!positive(vocabularySize))
    throw new Error(`vocabularySize: expected a positive integer, got ${String(vocabularySize)}`);
  if (!positive(contextLength))
    throw new Error(`contextLength: expected a positive integer, got ${String(contextLength)}`);
  const input = pick(runner.inputNames, options.input, 'input');
  const output = pick(runner.outputNames, options.output, 'output');
  let held: number[] = [];
  return {
    engine: runner.engine,
    vocabularySize,
    contextLength,
    cached: false,
    get length() {
      return held.length;
    },
    async append(tokens) {
      tokens.forEach((id, i) => {
        if (!(Number.isInteger(id) && id >= 0 && id < vocabularySize))
          throw new Error(
            `tokens[${i}]: expected a token id in [0, ${vocabularySize}), got ${String(id)}`,
          );
      });
      const next = [...held, ...tokens];
      if (next.length === 0) throw new Error('tokens: expected at least one token to score');
      if (next.length > contextLength)
        throw new Error(
          `tokens: ${held.length} held + ${tokens.length} new pass the context length ${contextLength}; reset() first`,
        );
      const result = await runner.run({
        [input]: { data: Int32Array.from(next), shape: [1, next.length] },
      });
      const logits = result[output];
      const want = [1, next.length, vocabularySize];
      if (!logits || logits.shape.join() !== want.join())
        throw new Error(
          `${runner.engine} output "${output}": expected logits of shape (${want.join(', ')}), got ${logits ? `(${logits.shape.join(', ')})` : 'none'}`,
        );
      held = next;
      const last = (next.length - 1) * vocabularySize; // (1, T, V): the last position's row
      return Float32Array.from(logits.data.subarray(last, last + vocabularySize));
    },
    reset() {
      held = [];
    },
    dispose: () => runner.dispose(),
  };
}

function pick(names: readonly string[], wanted: string | undefined, what: string): string {
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted;
    throw new Error(
      `${what}: expected one of the model's ${what}s ${names.join(', ')}, got "${wanted}"`,
    );
  }
  if (names.length === 1) return names[0] as string;
  throw new Error(
    `${what}: the model has ${names.length} ${what}s (${names.join(', ')}); name the one to use`,
  );
}
