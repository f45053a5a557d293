import { describe, expect, it } from 'vitest';
import { validateSpec } from '../resolve/validate.js';

type Obj = Record<string, unknown>;

/** int32 ids -> `e` (layer) -> dense 8 -> `logits` (a reverseEmbedding tied to `tie`). */
const spec = (e: Obj, tie = 'e', width = 8, more: Obj[] = []): Obj => ({
  specVersion: 1,
  name: 't',
  inputs: [{ id: 'ids', shape: [null], dtype: 'int32' }],
  layers: [
    { id: 'e', ...e },
    { id: 'h', type: 'dense', units: width },
    ...more,
    { id: 'logits', type: 'reverseEmbedding', embedding: tie },
  ],
});
const table = { type: 'embedding', inputDim: 100, outputDim: 8 };

function issuesOf(raw: Obj) {
  const r = validateSpec(raw);
  if (r.ok) throw new Error('expected issues, the spec is valid');
  return r.issues;
}

describe('reverseEmbedding', () => {
  it('(T, dim) -> (T, vocabulary) with the embedding matrix, counted once', () => {
    const r = validateSpec(spec(table));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.model.outputs[0]?.shape).toEqual([null, 100]);
    // 100*8 (embeddings, stored under e) + 8*8+8 (dense); the tied head adds nothing
    expect(r.model.totalParams).toBe(872);
    const head = r.model.nodes.at(-1);
    expect(head?.params).toEqual([]);
    expect(head?.tied).toEqual([
      { name: 'embeddings', shape: [100, 8], trainable: true, path: 'e.embeddings' },
    ]);
  });

  it("ties to a tokenAndPositionEmbedding's token matrix, not its positions", () => {
    const e = { type: 'tokenAndPositionEmbedding', vocabularySize: 50, sequenceLength: 16 };
    const r = validateSpec(spec({ ...e, embeddingDim: 8 }));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.model.outputs[0]?.shape).toEqual([null, 50]);
    expect(r.model.nodes.at(-1)?.tied[0]?.path).toBe('e.token_embedding.embeddings');
    expect(r.model.totalParams).toBe(50 * 8 + 16 * 8 + 72);
  });

  it('names an unknown id with a suggestion', () => {
    expect(issuesOf(spec(table, 'ee'))).toEqual([
      {
        pointer: '/layers/2/embedding',
        message: 'unknown reference "ee"; expected an input or layer id (did you mean "e"?)',
      },
    ]);
  });

  it('rejects a layer without a token matrix, and an input', () => {
    const pos = { id: 'p', type: 'positionEmbedding', sequenceLength: 16 };
    expect(issuesOf(spec(table, 'p', 8, [pos]))).toEqual([
      {
        pointer: '/layers/3/embedding',
        message:
          'expected the id of an embedding or tokenAndPositionEmbedding layer, got "p" (a positionEmbedding layer)',
      },
    ]);
    expect(issuesOf(spec(table, 'ids'))[0]).toEqual({
      pointer: '/layers/2/embedding',
      message:
        'expected the id of an embedding or tokenAndPositionEmbedding layer, got "ids" (no layer of this scope)',
    });
  });

  it('needs the input width to equal the embedding size', () => {
    expect(issuesOf(spec(table, 'e', 6))).toEqual([
      {
        pointer: '/layers/2/embedding',
        message:
          'expected the input\'s last dimension to equal the embedding size 8 of "e", got shape (None, None, 6)',
      },
    ]);
  });
});
