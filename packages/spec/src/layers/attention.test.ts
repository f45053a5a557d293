import { describe, expect, it } from 'vitest';
import { f32, i32, infer, inferWithRefs } from '../test-utils/tensors.js';
import { LayerError } from './kind.js';

/** The LayerError a call throws, so a test can check the field it blames. */
function errorOf(fn: () => unknown): LayerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LayerError) return e;
    throw e;
  }
  throw new Error('expected a LayerError, got none');
}

const blames = (field: string, message: RegExp) => ({
  field,
  message: expect.stringMatching(message),
});

describe('attention', () => {
  it('maps (Tq, dim) over (Tv, dim) to (Tq, dimV) with no weights by default', () => {
    // key defaults to value: query (10, 16), value (20, 16) -> (10, 16), 0 params
    expect(infer({ type: 'attention' }, f32(10, 16), f32(20, 16))).toMatchObject({
      shape: [10, 16],
      params: 0,
    });
    // separate key: value (20, 32), key (20, 16) -> (10, 32)
    expect(infer({ type: 'attention' }, f32(10, 16), f32(20, 32), f32(20, 16)).shape).toEqual([
      10, 32,
    ]);
    // free lengths and features stay free
    expect(
      infer({ type: 'attention', useCausalMask: true }, f32(null, 8), f32(null, null), f32(null, 8))
        .shape,
    ).toEqual([null, null]);
  });
  it('adds scalar weights for useScale and the concat score', () => {
    // use_scale: one scalar `scale`; score_mode="concat": one scalar `concat_score_weight`
    expect(infer({ type: 'attention', useScale: true }, f32(4, 8), f32(6, 8))).toMatchObject({
      params: 1,
      paramShapes: { scale: [] },
    });
    expect(
      infer({ type: 'attention', useScale: true, scoreMode: 'concat' }, f32(4, 8), f32(6, 8))
        .params,
    ).toBe(2);
  });
  it('needs matching query/key features and key/value lengths', () => {
    expect(errorOf(() => infer({ type: 'attention' }, f32(10, 16), f32(20, 32)))).toMatchObject(
      blames(
        'inputs/1',
        /expected the key's last dimension to equal the query's \(None, 10, 16\), got \(None, 20, 32\)/,
      ),
    );
    expect(
      errorOf(() => infer({ type: 'attention' }, f32(10, 16), f32(20, 32), f32(20, 8))),
    ).toMatchObject(blames('inputs/2', /last dimension/));
    expect(
      errorOf(() => infer({ type: 'attention' }, f32(10, 16), f32(20, 16), f32(21, 16))),
    ).toMatchObject(blames('inputs/2', /as many steps/));
    expect(errorOf(() => infer({ type: 'attention' }, f32(16), f32(20, 16)))).toMatchObject(
      blames('inputs/0', /rank 3/),
    );
  });
});

describe('additiveAttention', () => {
  it('learns a scale per query feature by default', () => {
    // use_scale=True: scale [dim] = 16
    expect(infer({ type: 'additiveAttention' }, f32(10, 16), f32(20, 16))).toMatchObject({
      shape: [10, 16],
      params: 16,
    });
    expect(
      infer({ type: 'additiveAttention', useScale: false }, f32(10, 16), f32(20, 16)).params,
    ).toBe(0);
    // value (7, 3), key (7, 8): output (5, 3), scale [8]
    expect(infer({ type: 'additiveAttention' }, f32(5, 8), f32(7, 3), f32(7, 8))).toMatchObject({
      shape: [5, 3],
      params: 8,
    });
  });
  it('needs a known query dimension to size the scale', () => {
    expect(
      errorOf(() => infer({ type: 'additiveAttention' }, f32(5, null), f32(7, null))),
    ).toMatchObject(blames('inputs/0', /known feature size/));
  });
});

describe('multiHeadAttention', () => {
  const mha = { type: 'multiHeadAttention', numHeads: 4, keyDim: 8 };
  it('counts Keras weights for self-attention (one input)', () => {
    // Keras MHA(8, 64) on d=512: 4*512*512 + 3*512 + 512 = 1050624
    expect(
      infer({ type: 'multiHeadAttention', numHeads: 8, keyDim: 64 }, f32(null, 512)),
    ).toMatchObject({
      shape: [null, 512],
      params: 1050624,
    });
    // h=4, kd=8, d=32: 4*(32*32 + 32) = 4224; no bias: 4*32*32 = 4096
    expect(infer(mha, f32(12, 32), f32(12, 32)).params).toBe(4224);
    expect(infer({ ...mha, useBias: false }, f32(12, 32)).params).toBe(4096);
  });
  it('lays weights out as Keras einsum kernels', () => {
    expect(infer({ ...mha, valueDim: 16, outputShape: 10 }, f32(12, 32)).paramShapes).toEqual({
      'query.kernel': [32, 4, 8],
      'query.bias': [4, 8],
      'key.kernel': [32, 4, 8],
      'key.bias': [4, 8],
      'value.kernel': [32, 4, 16],
      'value.bias': [4, 16],
      'output.kernel': [4, 16, 10],
      'output.bias': [10],
    });
  });
  it('projects query, key and value from their own widths (cross-attention)', () => {
    // h=2, kd=16: query 32*32+32 = 1056, key = value 64*32+32 = 2080, output 32*32+32 = 1056 -> 6272
    const cross = { type: 'multiHeadAttention', numHeads: 2, keyDim: 16 };
    expect(infer(cross, f32(10, 32), f32(20, 64))).toMatchObject({ shape: [10, 32], params: 6272 });
    // separate key of width 64, value of width 48: 1056 + 2080 + (48*32+32 = 1568) + 1056 = 5760
    expect(infer(cross, f32(10, 32), f32(20, 48), f32(20, 64))).toMatchObject({
      shape: [10, 32],
      params: 5760,
    });
  });
  it('follows valueDim and outputShape', () => {
    // valueDim 16: q, k 1056 each, value 32*64+64 = 2112, output 4*16*32+32 = 2080 -> 6304
    expect(infer({ ...mha, valueDim: 16 }, f32(null, 32))).toMatchObject({
      shape: [null, 32],
      params: 6304,
    });
    // outputShape 10: q, k, v 1056 each, output 4*8*10+10 = 330 -> 3498
    expect(infer({ ...mha, outputShape: 10 }, f32(null, 32))).toMatchObject({
      shape: [null, 10],
      params: 3498,
    });
    // outputShape [4, 5]: output kernel 4*8*4*5 = 640 + bias 20 -> 3168 + 660 = 3828
    expect(infer({ ...mha, outputShape: [4, 5] }, f32(7, 32))).toMatchObject({
      shape: [7, 4, 5],
      params: 3828,
    });
  });
  it('accepts padding masks that agree with the key length', () => {
    const masked = { ...mha, paddingMask: 'mask' };
    expect(inferWithRefs(masked, [f32(12, 32)], { mask: i32(12) }).shape).toEqual([12, 32]);
    expect(inferWithRefs(masked, [f32(12, 32)], { paddingMask: f32(12, 12) }).shape).toEqual([
      12, 32,
    ]);
    expect(
      inferWithRefs(masked, [f32(10, 32), f32(20, 64)], { paddingMask: i32(20) }).shape,
    ).toEqual([10, 32]);
    expect(inferWithRefs(masked, [f32(null, 32)], { paddingMask: i32(7) }).shape).toEqual([
      null,
      32,
    ]);
  });
  it('rejects masks of the wrong length, rows or rank', () => {
    const masked = { ...mha, paddingMask: 'mask' };
    const run =
      (mask: ReturnType<typeof i32>, ...inputs: ReturnType<typeof f32>[]) =>
      () =>
        inferWithRefs(masked, inputs, { paddingMask: mask });
    expect(errorOf(run(i32(13), f32(12, 32)))).toMatchObject(
      blames('paddingMask', /expected a mask over 12 key positions, got shape \(None, 13\)/),
    );
    expect(errorOf(run(i32(10), f32(10, 32), f32(20, 64)))).toMatchObject(
      blames('paddingMask', /over 20 key positions/),
    );
    expect(errorOf(run(i32(11, 12), f32(12, 32)))).toMatchObject(
      blames('paddingMask', /12 query rows/),
    );
    expect(errorOf(run(i32(2, 12, 12), f32(12, 32)))).toMatchObject(
      blames('paddingMask', /\(None, S\) or \(None, Tq, S\)/),
    );
  });
  it('needs known feature sizes and positive sizes', () => {
    expect(errorOf(() => infer(mha, f32(10, null)))).toMatchObject(
      blames('inputs/0', /known feature size/),
    );
    expect(errorOf(() => infer(mha, f32(10, 32), f32(20, null)))).toMatchObject(
      blames('inputs/1', /known feature size/),
    );
    expect(() => infer({ ...mha, numHeads: 0 }, f32(10, 32))).toThrow(/positive integer/);
  });
});

describe('positionEmbedding / sinusoidalPositionEncoding', () => {
  it('learns one vector per position up to sequenceLength', () => {
    // embeddings [128, 64] = 8192
    const pe = { type: 'positionEmbedding', sequenceLength: 128 };
    expect(infer(pe, f32(100, 64))).toMatchObject({
      shape: [100, 64],
      params: 8192,
      paramShapes: { embeddings: [128, 64] },
    });
    expect(infer(pe, f32(null, 64)).shape).toEqual([null, 64]);
    expect(errorOf(() => infer(pe, f32(200, 64)))).toMatchObject(
      blames('sequenceLength', /at most 128 positions/),
    );
    expect(errorOf(() => infer(pe, f32(10, null)))).toMatchObject(
      blames('inputs', /must be known/),
    );
  });
  it('encodes positions with sines, without weights', () => {
    expect(infer({ type: 'sinusoidalPositionEncoding' }, f32(null, 64))).toMatchObject({
      shape: [null, 64],
      params: 0,
    });
    expect(() => infer({ type: 'sinusoidalPositionEncoding' }, f32(64))).toThrow(/rank 3/);
    expect(() =>
      infer({ type: 'sinusoidalPositionEncoding', maxWavelength: 0 }, f32(4, 8)),
    ).toThrow(/>= 1/);
  });
});

describe('tokenAndPositionEmbedding', () => {
  const bert = {
    type: 'tokenAndPositionEmbedding',
    vocabularySize: 30522,
    sequenceLength: 512,
    embeddingDim: 768,
  };
  it('sums token and position embeddings', () => {
    // 30522*768 + 512*768 = 23440896 + 393216 = 23834112
    expect(infer(bert, i32(null))).toMatchObject({
      shape: [null, 768],
      dtype: 'float32',
      params: 23834112,
    });
    // 1000*32 + 64*32 = 34048
    const small = {
      type: 'tokenAndPositionEmbedding',
      vocabularySize: 1000,
      sequenceLength: 64,
      embeddingDim: 32,
    };
    expect(infer(small, i32(64)).paramShapes).toEqual({
      'token_embedding.embeddings': [1000, 32],
      'position_embedding.embeddings': [64, 32],
    });
    expect(infer(small, i32(64)).params).toBe(34048);
  });
  it('rejects long sequences and float ids', () => {
    expect(errorOf(() => infer(bert, i32(600)))).toMatchObject(
      blames('sequenceLength', /at most 512/),
    );
    expect(errorOf(() => infer(bert, f32(10)))).toMatchObject(
      blames('inputs', /expected int32 token ids, got float32/),
    );
  });
});

describe('transformerEncoder', () => {
  it('counts BERT-base layer weights', () => {
    // D=768, F=3072: 4D^2+4D + 2D + 2DF+F+D + 2D = 2362368 + 1536 + 4721664 + 1536 + 768 = 7087872
    const bert = {
      type: 'transformerEncoder',
      intermediateDim: 3072,
      numHeads: 12,
      activation: 'gelu',
    };
    expect(infer(bert, f32(128, 768))).toMatchObject({ shape: [128, 768], params: 7087872 });
  });
  it('names weights by sub-layer', () => {
    // D=32, F=64: 4224 + 64 + 4096+64+32 + 64 = 8544
    const r = infer(
      { type: 'transformerEncoder', intermediateDim: 64, numHeads: 4, normalizeFirst: true },
      f32(null, 32),
    );
    expect(r).toMatchObject({ shape: [null, 32], params: 8544 });
    expect(r.paramShapes).toMatchObject({
      'selfAttention.query.kernel': [32, 4, 8],
      'selfAttention.output.kernel': [4, 8, 32],
      'selfAttentionNorm.gamma': [32],
      'ffn.intermediate.kernel': [32, 64],
      'ffn.output.bias': [32],
      'ffnNorm.beta': [32],
    });
  });
  it('takes any activation, including the approximate GELU', () => {
    const base = { type: 'transformerEncoder', intermediateDim: 64, numHeads: 4 };
    expect(
      infer({ ...base, activation: { type: 'gelu', approximate: true } }, f32(5, 32)).params,
    ).toBe(8544);
    expect(infer({ ...base, activation: 'geluTanh' }, f32(5, 32)).params).toBe(8544);
  });
  it('checks heads, width and mask', () => {
    const base = {
      type: 'transformerEncoder',
      intermediateDim: 64,
      numHeads: 4,
      paddingMask: 'mask',
    };
    expect(errorOf(() => infer(base, f32(10, 30)))).toMatchObject(
      blames('numHeads', /expected numHeads to divide the model width 30, got 4/),
    );
    expect(errorOf(() => infer(base, f32(10, null)))).toMatchObject(
      blames('inputs', /known feature size/),
    );
    expect(inferWithRefs(base, [f32(10, 32)], { paddingMask: i32(10) }).shape).toEqual([10, 32]);
    expect(
      errorOf(() => inferWithRefs(base, [f32(10, 32)], { paddingMask: i32(9) })),
    ).toMatchObject(blames('paddingMask', /over 10 key positions/));
  });
});

describe('transformerDecoder', () => {
  const base = { type: 'transformerDecoder', intermediateDim: 64, numHeads: 4 };
  it('without an encoder sequence is an encoder block with causal attention', () => {
    // same weights as the encoder: 8544; GPT-2 small block (D=768, F=3072, h=12): 7087872
    expect(infer(base, f32(null, 32))).toMatchObject({ shape: [null, 32], params: 8544 });
    const gpt2 = {
      type: 'transformerDecoder',
      intermediateDim: 3072,
      numHeads: 12,
      activation: 'gelu',
    };
    expect(infer(gpt2, f32(1024, 768)).params).toBe(7087872);
    expect(infer(base, f32(10, 32)).paramShapes).not.toHaveProperty([
      'crossAttention.query.kernel',
    ]);
  });
  it('adds cross-attention over the encoder sequence', () => {
    // encoder width 32: + 4*32*32+4*32 + 2*32 = 4288 -> 12832
    expect(infer(base, f32(10, 32), f32(20, 32))).toMatchObject({ shape: [10, 32], params: 12832 });
    // encoder width 48: cross q 1056 + k 1568 + v 1568 + out 1056 + norm 64 = 5312 -> 13856
    const r = infer(base, f32(10, 32), f32(null, 48));
    expect(r.params).toBe(13856);
    expect(r.paramShapes).toMatchObject({
      'crossAttention.query.kernel': [32, 4, 8],
      'crossAttention.key.kernel': [48, 4, 8],
      'crossAttention.output.kernel': [4, 8, 32],
      'crossAttentionNorm.gamma': [32],
    });
    // Transformer-base decoder layer (D=512, F=2048, h=8): 2*(1050624+1024) + 2*512*2048+2048+512 + 1024 = 4204032
    const big = { type: 'transformerDecoder', intermediateDim: 2048, numHeads: 8 };
    expect(infer(big, f32(null, 512), f32(null, 512)).params).toBe(4204032);
  });
  it('checks both padding masks', () => {
    const masked = { ...base, paddingMask: 'dec', encoderPaddingMask: 'enc' };
    const refs = { paddingMask: i32(10), encoderPaddingMask: i32(20) };
    expect(inferWithRefs(masked, [f32(10, 32), f32(20, 32)], refs).shape).toEqual([10, 32]);
    expect(
      errorOf(() =>
        inferWithRefs(masked, [f32(10, 32), f32(20, 32)], { ...refs, encoderPaddingMask: i32(19) }),
      ),
    ).toMatchObject(blames('encoderPaddingMask', /over 20 key positions/));
    expect(
      errorOf(() =>
        inferWithRefs(masked, [f32(10, 32), f32(20, 32)], { ...refs, paddingMask: i32(20) }),
      ),
    ).toMatchObject(blames('paddingMask', /over 10 key positions/));
    expect(errorOf(() => inferWithRefs(masked, [f32(10, 32)], refs))).toMatchObject(
      blames('encoderPaddingMask', /expected an encoder sequence/),
    );
  });
  it('checks heads and the encoder width', () => {
    expect(errorOf(() => infer({ ...base, numHeads: 5 }, f32(10, 32)))).toMatchObject(
      blames('numHeads', /divide/),
    );
    expect(errorOf(() => infer(base, f32(10, 32), f32(20, null)))).toMatchObject(
      blames('inputs/1', /cross-attention/),
    );
    expect(errorOf(() => infer(base, f32(10, 32), f32(20)))).toMatchObject(
      blames('inputs/1', /encoder sequence of rank 3/),
    );
  });
});
