// Choosing the next token from logits, in Hugging Face's order: repetition penalty, temperature,
// top-k, top-p, then a draw from netspec's seeded RNG (or the argmax when temperature is 0).

export interface SamplingOptions {
  /** 0 (default) picks the most likely token (greedy); above 0 samples from softmax(logits / t). */
  temperature?: number;
  /** Samples among the k most likely tokens only (k >= 1). */
  topK?: number;
  /** Samples among the fewest most likely tokens whose probabilities sum to at least p, in (0, 1]. */
  topP?: number;
  /**
   * Above 1 discourages tokens already in the sequence (CTRL, Keskar et al. 2019): their positive
   * logits are divided by it, negative ones multiplied. 1 (default) changes nothing.
   */
  repetitionPenalty?: number;
}

/** Throws on the first option out of range, naming it. */
export function checkSamplingOptions(options: SamplingOptions): void {
  const { temperature = 0, topK, topP, repetitionPenalty = 1 } = options;
  if (!(Number.isFinite(temperature) && temperature >= 0))
    throw new Error(
      `temperature: expected a number >= 0 (0 is greedy), got ${String(temperature)}`,
    );
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1))
    throw new Error(`topK: expected an integer >= 1, got ${String(topK)}`);
  if (topP !== undefined && !(topP > 0 && topP <= 1))
    throw new Error(`topP: expected a number in (0, 1], got ${String(topP)}`);
  if (!(Number.isFinite(repetitionPenalty) && repetitionPenalty > 0))
    throw new Error(
      `repetitionPenalty: expected a number > 0 (1 is none), got ${String(repetitionPenalty)}`,
    );
}

/**
 * The next token for `logits` given the tokens already in the sequence (`seen`, for the
 * repetition penalty) and a source of uniform numbers in [0, 1). Draws exactly one number when
 * sampling and none when greedy, so a seed gives the same sequence on every engine.
 */
export function sampleToken(
  logits: Float32Array,
  seen: ReadonlySet<number>,
  options: SamplingOptions,
  random: () => number,
): number {
  const scores = Float64Array.from(logits);
  const nan = scores.findIndex(Number.isNaN);
  if (nan >= 0) throw new Error(`logits[${nan}]: expected a number, got NaN`);
  const penalty = options.repetitionPenalty ?? 1;
  if (penalty !== 1) {
    for (const id of seen) {
      const s = scores[id];
      if (s !== undefined) scores[id] = s > 0 ? s / penalty : s * penalty;
    }
  }
  const temperature = options.temperature ?? 0;
  if (temperature === 0) return argmax(scores);
  // Most likely first; equal scores keep id order, so top-k = 1 is exactly the greedy choice.
  let order = Array.from(scores.keys()).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  if (options.topK !== undefined) order = order.slice(0, options.topK);
  const top = scores[order[0] as number] as number;
  let weights = order.map((id) => Math.exp(((scores[id] as number) - top) / temperature));
  const topP = options.topP ?? 1;
  if (topP < 1) {
    const total = weights.reduce((s, w) => s + w, 0);
    let kept = 0;
    // Keep a token while the ones before it hold less than p of the probability.
    for (let cumulative = 0; kept < weights.length && cumulative < topP; kept++)
      cumulative += (weights[kept] as number) / total;
    order = order.slice(0, kept);
    weights = weights.slice(0, kept);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  let u = random() * total;
  for (let i = 0; i < order.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return order[i] as number;
  }
  return order[order.length - 1] as number; // u landed on the total through rounding
}

function argmax(scores: Float64Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++)
    if ((scores[i] as number) > (scores[best] as number)) best = i;
  return best;
}
