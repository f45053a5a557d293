import type { TokenScorer } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { trainTokenizer } from '../tokenizers/index.js';
import { type GenerateOptions, generate } from './index.js';

/**
 * A real scorer one can reason about: the logits of the next token depend on the last token only
 * (a bigram table). It records every call, and throws past its context length like any scorer.
 */
class BigramScorer implements TokenScorer {
  readonly engine = 'bigram';
  readonly cached = true;
  readonly calls: (number[] | 'reset')[] = [];
  private held: number[] = [];
  constructor(
    private readonly table: (last: number) => number[],
    readonly vocabularySize: number,
    readonly contextLength = 1000,
  ) {}
  get length() {
    return this.held.length;
  }
  async append(tokens: readonly number[]) {
    this.calls.push([...tokens]);
    this.held.push(...tokens);
    if (this.held.length > this.contextLength) throw new Error('past the context length');
    return Float32Array.from(this.table(this.held[this.held.length - 1] as number));
  }
  reset() {
    this.calls.push('reset');
    this.held = [];
  }
  async dispose() {}
}

/** next = last + 1 (mod v), by a margin of 1 logit over every other token. */
const cycle = (v: number, context?: number) =>
  new BigramScorer(
    (last) => Array.from({ length: v }, (_, i) => (i === (last + 1) % v ? 1 : 0)),
    v,
    context,
  );

/** The same distribution whatever came before: probabilities 0.1, 0.2, 0.3, 0.4. */
const fixed = () => new BigramScorer(() => [0.1, 0.2, 0.3, 0.4].map(Math.log), 4, 100_000);

async function frequencies(options: Omit<GenerateOptions, 'maxNewTokens'>, n = 20_000) {
  const { ids } = await generate(fixed(), [0], { ...options, maxNewTokens: n });
  const counts = [0, 0, 0, 0];
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts.map((c) => c / n);
}

// 20,000 draws: a frequency's standard deviation is at most sqrt(0.25 / 20,000) = 0.0035; the
// bound 0.02 is over 5 of them (a false failure has probability below 1e-6 per frequency).
const BOUND = 0.02;
function expectNear(got: number[], want: number[]) {
  for (const [i, g] of got.entries()) expect(Math.abs(g - (want[i] as number))).toBeLessThan(BOUND);
}

describe('generate: greedy and its limits', () => {
  it('follows the largest logit', async () => {
    const result = await generate(cycle(10), [1, 2], { maxNewTokens: 5 });
    expect(result).toEqual({ ids: [3, 4, 5, 6, 7], stopReason: 'max-tokens' });
  });

  it('equals greedy as temperature -> 0, with top-k 1 and with a small top-p', async () => {
    // Logits 0.5 apart at least: at temperature 0.01 a runner-up has odds below e^-50.
    const table = (last: number) => [0, 1, 2, 3, 4].map((i) => ((i * 7 + last * 3) % 5) * 0.5);
    const greedy = await generate(new BigramScorer(table, 5), [0], { maxNewTokens: 30 });
    const sampled = (o: Omit<GenerateOptions, 'maxNewTokens'>) =>
      generate(new BigramScorer(table, 5), [0], { maxNewTokens: 30, seed: 3, ...o });
    expect((await sampled({ temperature: 0.01 })).ids).toEqual(greedy.ids);
    expect((await sampled({ temperature: 5, topK: 1 })).ids).toEqual(greedy.ids);
    expect((await sampled({ temperature: 5, topP: 1e-6 })).ids).toEqual(greedy.ids);
    expect(new Set(greedy.ids).size).toBeGreaterThan(1);
  });

  it('changes the greedy choice with a repetition penalty, as computed by hand', async () => {
    const table = (last: number) => (last === 1 ? [3, -5, 2, 0.5] : [-1, -3, -0.6, -2]);
    const scorer = () => new BigramScorer(table, 4);
    // After [0, 1]: 3 (token 0) wins; penalty 2 makes it 3 / 2 = 1.5 < 2 (token 2, unseen).
    expect((await generate(scorer(), [0, 1], { maxNewTokens: 1 })).ids).toEqual([0]);
    expect(
      (await generate(scorer(), [0, 1], { maxNewTokens: 1, repetitionPenalty: 2 })).ids,
    ).toEqual([2]);
    // After [2]: -0.6 (token 2) wins; penalty 2 makes it -1.2 < -1 (token 0).
    expect((await generate(scorer(), [2], { maxNewTokens: 1 })).ids).toEqual([2]);
    expect((await generate(scorer(), [2], { maxNewTokens: 1, repetitionPenalty: 2 })).ids).toEqual([
      0,
    ]);
  });
});

describe('generate: seeded sampling', () => {
  it('reproduces a seed and differs across seeds', async () => {
    const run = (seed: number) =>
      generate(fixed(), [0], { maxNewTokens: 50, temperature: 1, seed });
    expect((await run(11)).ids).toEqual((await run(11)).ids);
    expect((await run(11)).ids).not.toEqual((await run(12)).ids);
  });

  it('draws from softmax(logits / t)', async () => {
    expectNear(await frequencies({ temperature: 1, seed: 1 }), [0.1, 0.2, 0.3, 0.4]);
    // t = 0.5 squares the probabilities: 0.01, 0.04, 0.09, 0.16 over 0.30.
    expectNear(await frequencies({ temperature: 0.5, seed: 2 }), [1 / 30, 4 / 30, 9 / 30, 16 / 30]);
  });

  it('keeps the k most likely, or the fewest holding p', async () => {
    const twoBest = [0, 0, 3 / 7, 4 / 7];
    expectNear(await frequencies({ temperature: 1, topK: 2, seed: 3 }), twoBest);
    // 0.4 alone is below p = 0.5; with 0.3 it reaches it.
    expectNear(await frequencies({ temperature: 1, topP: 0.5, seed: 4 }), twoBest);
  });
});

describe('generate: window and stop conditions', () => {
  it('slides the window: reset, then the last contextLength - 1 tokens', async () => {
    const scorer = cycle(10, 4);
    const result = await generate(scorer, [1, 2], { maxNewTokens: 6 });
    expect(result.ids).toEqual([3, 4, 5, 6, 7, 8]);
    expect(scorer.calls).toEqual([
      'reset',
      [1, 2],
      [3],
      [4],
      'reset',
      [3, 4, 5],
      [6],
      'reset',
      [5, 6, 7],
    ]);
  });

  it('never slides without a position table (contextLength Infinity)', async () => {
    const scorer = cycle(10, Number.POSITIVE_INFINITY);
    const result = await generate(scorer, [1, 2], { maxNewTokens: 4 });
    expect(result.ids).toEqual([3, 4, 5, 6]);
    expect(scorer.calls).toEqual(['reset', [1, 2], [3], [4], [5]]);
  });

  it('keeps the last contextLength tokens of a long prompt', async () => {
    const scorer = cycle(10, 4);
    await generate(scorer, [0, 1, 2, 3, 4, 5], { maxNewTokens: 1 });
    expect(scorer.calls).toEqual(['reset', [2, 3, 4, 5]]);
  });

  // "." 0, a 1, b 2, c 3, d 4: the cycle scorer spells "bcd.abcd." after "a".
  const chars = trainTokenizer('char', 'abcd.');

  it('streams decoded pieces and stops on a stop string', async () => {
    const pieces: string[] = [];
    const result = await generate(cycle(5), chars.encode('a'), {
      maxNewTokens: 20,
      tokenizer: chars,
      stopStrings: ['d.', 'zz'],
      onToken: (t) => {
        pieces.push(t.text ?? '?');
      },
    });
    expect(result).toEqual({ ids: [2, 3, 4, 0], text: 'bcd.', stopReason: 'stop-string' });
    expect(pieces).toEqual(['b', 'c', 'd', '.']);
  });

  it('stops on an eos token, keeping it', async () => {
    const result = await generate(cycle(5), [1], { maxNewTokens: 20, eosTokenIds: [4] });
    expect(result).toEqual({ ids: [2, 3, 4], stopReason: 'eos' });
  });

  it('holds back a piece that ends inside a UTF-8 character', async () => {
    // Byte-level BPE: byte b is token 1 + b; "é" is bytes C3 A9, tokens 0xC4 0xAA.
    const bpe = trainTokenizer('bpe', 'abc', { vocabularySize: 257 });
    const next = (last: number) => (last === 0xc4 ? 0xaa : 0xc4);
    const scorer = new BigramScorer(
      (last) => Array.from({ length: 257 }, (_, i) => (i === next(last) ? 1 : 0)),
      257,
    );
    const pieces: string[] = [];
    const result = await generate(scorer, bpe.encode('a'), {
      maxNewTokens: 4,
      tokenizer: bpe,
      onToken: (t) => {
        pieces.push(t.text ?? '?');
      },
    });
    expect(pieces).toEqual(['', 'é', '', 'é']);
    expect(result.text).toBe('éé');
  });

  it('ends when aborted, returning what it has', async () => {
    const controller = new AbortController();
    const result = await generate(cycle(10), [0], {
      maxNewTokens: 100,
      signal: controller.signal,
      onToken: (t) => {
        if (t.index === 2) controller.abort();
      },
    });
    expect(result).toEqual({ ids: [1, 2, 3], stopReason: 'aborted' });
  });
});

describe('generate: options', () => {
  const bad = (options: Partial<GenerateOptions>, prompt = [0]) =>
    generate(cycle(5), prompt, { maxNewTokens: 3, ...options });

  it('names the bad option', async () => {
    await expect(bad({ temperature: -1 })).rejects.toThrow(
      'temperature: expected a number >= 0 (0 is greedy), got -1',
    );
    await expect(bad({ topP: 0 })).rejects.toThrow('topP: expected a number in (0, 1], got 0');
    await expect(bad({ topP: 1.5 })).rejects.toThrow('topP: expected a number in (0, 1], got 1.5');
    await expect(bad({ topK: 0 })).rejects.toThrow('topK: expected an integer >= 1, got 0');
    await expect(bad({ repetitionPenalty: 0 })).rejects.toThrow(
      'repetitionPenalty: expected a number > 0',
    );
    await expect(bad({ maxNewTokens: 0 })).rejects.toThrow(
      'maxNewTokens: expected a positive integer, got 0',
    );
    await expect(bad({ seed: 0.5 })).rejects.toThrow('seed: expected an integer, got 0.5');
    await expect(bad({}, [])).rejects.toThrow('promptIds: expected at least one token id');
    await expect(bad({}, [0, 5])).rejects.toThrow(
      'promptIds[1]: expected a token id in [0, 5), got 5',
    );
    await expect(bad({ eosTokenIds: [-1] })).rejects.toThrow(
      'eosTokenIds[0]: expected a token id in [0, 5), got -1',
    );
    await expect(bad({ stopStrings: ['x'] })).rejects.toThrow(
      'stopStrings: expected a tokenizer option',
    );
    const big = trainTokenizer('char', 'abcdef');
    await expect(bad({ tokenizer: big })).rejects.toThrow(
      "tokenizer: expected at most the scorer's 5 tokens, got 6",
    );
  });
});
