import { describe, expect, it } from 'vitest';
import type { SpecIssue } from '../errors/issue.js';
import type { Limits } from './model.js';
import { validateSpec, validateSpecText } from './validate.js';

type Obj = Record<string, unknown>;

/** A spec with one input `x` of shape `shape`. */
const spec = (layers: Obj[], extra: Obj = {}, shape: (number | null)[] = [4]): Obj => ({
  specVersion: 1,
  name: 't',
  inputs: [{ id: 'x', shape }],
  layers,
  ...extra,
});

function valid(raw: unknown, limits?: Partial<Limits>) {
  const r = validateSpec(raw, { limits });
  if (!r.ok) throw new Error(`expected a valid spec, got ${JSON.stringify(r.issues)}`);
  return r.model;
}

function invalid(raw: unknown, limits?: Partial<Limits>): SpecIssue[] {
  const r = validateSpec(raw, { limits });
  if (r.ok) throw new Error('expected issues, the spec is valid');
  return r.issues;
}

const dense = (id: string, units: number, more: Obj = {}) => ({
  id,
  type: 'dense',
  units,
  ...more,
});
const mha = (id: string, inputs: string[]) => ({
  id,
  type: 'multiHeadAttention',
  numHeads: 2,
  keyDim: 4,
  inputs,
});

describe('graph wiring', () => {
  it('wires the sequential shorthand to the previous layer', () => {
    const m = valid(spec([dense('h', 8), dense('out', 2)]));
    expect(m.nodes.map((n) => n.path)).toEqual(['h', 'out']);
    expect(m.nodes[0]?.inputs.map((t) => t.name)).toEqual(['x']);
    expect(m.nodes[1]?.inputs.map((t) => t.name)).toEqual(['h']);
    expect(m.outputs).toEqual([{ name: 'out', shape: [2], dtype: 'float32' }]);
    // 4*8 + 8 = 40; 8*2 + 2 = 18
    expect(m.totalParams).toBe(58);
  });

  it('orders explicit inputs topologically whatever the written order', () => {
    const m = valid(
      spec(
        [
          dense('out', 2, { inputs: ['mid'] }),
          dense('mid', 3, { inputs: ['first'] }),
          dense('first', 8, { inputs: ['x'] }),
        ],
        {
          outputs: ['out'],
        },
      ),
    );
    expect(m.nodes.map((n) => n.path)).toEqual(['first', 'mid', 'out']);
    expect(m.nodes[2]?.inputs[0]?.shape).toEqual([3]);
    // Like Keras's summary, rows follow the graph order.
    expect(m.layers.map((l) => l.id)).toEqual(['first', 'mid', 'out']);
  });

  it('takes several inputs and returns several outputs', () => {
    const m = valid({
      specVersion: 1,
      name: 't',
      inputs: [
        { id: 'a', shape: [4] },
        { id: 'b', shape: [6] },
      ],
      layers: [
        { id: 'cat', type: 'concatenate', inputs: ['a', 'b'] },
        dense('left', 3),
        dense('right', 5, { inputs: ['cat'] }),
      ],
      outputs: ['left', 'right'],
    });
    expect(m.inputs.map((t) => t.name)).toEqual(['a', 'b']);
    expect(m.nodes[0]?.outputs[0]?.shape).toEqual([10]);
    expect(m.outputs.map((t) => [t.name, t.shape])).toEqual([
      ['left', [3]],
      ['right', [5]],
    ]);
  });

  it('reads the state outputs of an lstm with returnState through "id:n"', () => {
    const layers = [
      { id: 'enc', type: 'lstm', units: 16, returnState: true },
      { id: 'state', type: 'concatenate', inputs: ['enc:1', 'enc:2'] },
    ];
    const m = valid(spec(layers, { outputs: ['enc', 'state'] }, [null, 8]));
    expect(m.nodes[0]?.outputs.map((t) => t.name)).toEqual(['enc', 'enc:1', 'enc:2']);
    expect(m.nodes[1]?.inputs.map((t) => t.name)).toEqual(['enc:1', 'enc:2']);
    expect(m.outputs.map((t) => t.shape)).toEqual([[16], [32]]);

    const bad = invalid(
      spec([layers[0] as Obj, { ...layers[1], inputs: ['enc:1', 'enc:3'] }], {}, [null, 8]),
    );
    expect(bad).toEqual([
      {
        pointer: '/layers/1/inputs/1',
        message: expect.stringMatching(
          /"enc:3" names output 3, but "enc" has 3 outputs \(0\.\.2\)/,
        ),
      },
    ]);
  });

  it('reports an output index too large for a number instead of throwing', () => {
    const issues = invalid(spec([dense('d', 4, { inputs: ['x:99999999999999999999'] })]));
    expect(issues).toEqual([
      {
        pointer: '/layers/0/inputs/0',
        message: expect.stringContaining('output index in "x:99999999999999999999" is too large'),
      },
    ]);
  });

  it('reports a missing id once, without "got 0 inputs" on the next layer', () => {
    const issues = invalid(spec([dense('a', 4), { type: 'dense', units: 4 }, dense('c', 4)]));
    expect(issues).toEqual([
      { pointer: '/layers/1/id', message: expect.stringContaining('missing; expected an id') },
    ]);
  });

  it('reports unknown references with the closest id, and cycles in order', () => {
    const unknown = invalid(spec([dense('hidden', 4), dense('out', 2, { inputs: ['hiden'] })]));
    // "hidden" is not also reported unused: that would only echo the typo.
    expect(unknown).toEqual([
      {
        pointer: '/layers/1/inputs/0',
        message:
          'unknown reference "hiden"; expected an input or layer id (did you mean "hidden"?)',
      },
    ]);
    const cycle = invalid(
      spec(
        [
          dense('a', 4, { inputs: ['c'] }),
          dense('b', 4, { inputs: ['a'] }),
          dense('c', 4, { inputs: ['b'] }),
        ],
        { outputs: ['c'] },
      ),
    );
    expect(cycle).toEqual([
      { pointer: '/inputs/0', message: 'input "x" is not used by any layer' },
      {
        pointer: '/layers/1/inputs/0',
        message: 'cycle: a -> c -> b -> a; a layer cannot depend on its own output',
      },
    ]);
  });
});

/** An encoder layer over (T, 8): self-attention and a residual add. */
const encoderBlock = {
  layers: [mha('attn', ['x']), { id: 'res', type: 'add', inputs: ['x', 'attn'] }],
};

describe('blocks', () => {
  it('expands a repeated block with dotted paths and threads output 0 into input 0', () => {
    const m = valid(
      spec(
        [{ id: 'enc', type: 'block', block: 'layer', repeat: 3 }],
        { blocks: { layer: encoderBlock } },
        [5, 8],
      ),
    );
    expect(m.nodes.map((n) => n.path)).toEqual([
      'enc.0.attn',
      'enc.0.res',
      'enc.1.attn',
      'enc.1.res',
      'enc.2.attn',
      'enc.2.res',
    ]);
    expect(m.nodes[2]?.inputs.map((t) => t.name)).toEqual(['enc.0.res']);
    expect(m.nodes[5]?.inputs.map((t) => t.name)).toEqual(['enc.1.res', 'enc.2.attn']);
    const q = m.nodes[4]?.params.find((p) => p.path === 'enc.2.attn.query.kernel');
    expect(q?.shape).toEqual([8, 2, 4]);
    expect(m.outputs).toEqual([{ name: 'enc.2.res', shape: [5, 8], dtype: 'float32' }]);
    // Keras MultiHeadAttention(num_heads=2, key_dim=4) on 8 features: 3*(8*2*4 + 2*4) + (2*4*8 + 8) = 288; times 3
    expect(m.totalParams).toBe(864);
    // The summary shows the block once, with every parameter of its repetitions.
    expect(m.layers).toEqual([
      expect.objectContaining({
        id: 'enc',
        type: 'block',
        params: 864,
        trainableParams: 864,
        inputs: ['x'],
      }),
    ]);
  });

  it('keeps inputs after the first fixed across repetitions (decoder memory)', () => {
    const dec = {
      inputs: ['y', 'mem'],
      layers: [
        mha('self', ['y']),
        mha('cross', ['self', 'mem']),
        { id: 'out', type: 'add', inputs: ['self', 'cross'] },
      ],
    };
    const m = valid({
      specVersion: 1,
      name: 't',
      inputs: [
        { id: 'tgt', shape: [5, 8] },
        { id: 'src', shape: [7, 6] },
      ],
      layers: [
        dense('memory', 8, { inputs: ['src'] }),
        { id: 'dec', type: 'block', block: 'dec', repeat: 2, inputs: ['tgt', 'memory'] },
      ],
      blocks: { dec },
    });
    const byPath = new Map(m.nodes.map((n) => [n.path, n]));
    expect(byPath.get('dec.0.self')?.inputs.map((t) => t.name)).toEqual(['tgt']);
    expect(byPath.get('dec.1.self')?.inputs.map((t) => t.name)).toEqual(['dec.0.out']);
    expect(byPath.get('dec.0.cross')?.inputs.map((t) => t.name)).toEqual(['dec.0.self', 'memory']);
    expect(byPath.get('dec.1.cross')?.inputs.map((t) => t.name)).toEqual(['dec.1.self', 'memory']);
    expect(m.outputs.map((t) => [t.name, t.shape])).toEqual([['dec.1.out', [5, 8]]]);
  });

  it('expands nested blocks with nested paths', () => {
    const m = valid(
      spec([{ id: 'o', type: 'block', block: 'outer', repeat: 2 }], {
        blocks: {
          inner: { layers: [dense('d', 4)] },
          outer: { layers: [{ id: 'a', type: 'block', block: 'inner', repeat: 2 }, dense('b', 4)] },
        },
      }),
    );
    expect(m.nodes.map((n) => n.path)).toEqual([
      'o.0.a.0.d',
      'o.0.a.1.d',
      'o.0.b',
      'o.1.a.0.d',
      'o.1.a.1.d',
      'o.1.b',
    ]);
    expect(m.nodes[4]?.params.map((p) => p.path)).toEqual(['o.1.a.1.d.kernel', 'o.1.a.1.d.bias']);
    // 6 dense(4) on 4 features: 6 * (4*4 + 4) = 120
    expect(m.layers).toEqual([expect.objectContaining({ id: 'o', params: 120 })]);
  });

  it('rejects a block that contains itself, directly or through another block', () => {
    const direct = invalid(
      spec([{ id: 'b', type: 'block', block: 'loop' }], {
        blocks: { loop: { layers: [{ id: 'l', type: 'block', block: 'loop' }] } },
      }),
    );
    expect(direct).toEqual([
      {
        pointer: '/blocks/loop/layers/0/block',
        message: 'block "loop" contains itself: loop -> loop',
      },
    ]);
    const indirect = invalid(
      spec([{ id: 'b', type: 'block', block: 'a' }], {
        blocks: {
          a: { layers: [{ id: 'l', type: 'block', block: 'b' }] },
          b: { layers: [{ id: 'l', type: 'block', block: 'a' }] },
        },
      }),
    );
    expect(indirect).toEqual([
      { pointer: '/blocks/b/layers/0/block', message: 'block "a" contains itself: a -> b -> a' },
    ]);
  });

  it('reports unknown blocks with did-you-mean, and unused blocks', () => {
    const issues = invalid(
      spec([{ id: 'e', type: 'block', block: 'encodr' }], {
        blocks: { encoder: { layers: [dense('d', 4)] } },
      }),
    );
    // The intended block is not also reported unused: that would only echo the typo.
    expect(issues).toEqual([
      {
        pointer: '/layers/0/block',
        message: 'unknown block "encodr"; expected one of encoder (did you mean "encoder"?)',
      },
    ]);
    const spare = invalid(
      spec([dense('d', 4)], { blocks: { spare: { layers: [dense('d', 4)] } } }),
    );
    expect(spare).toEqual([
      { pointer: '/blocks/spare', message: 'block "spare" is not used by any layer' },
    ]);
  });

  it('reports a block used only by itself as unused', () => {
    const issues = invalid(
      spec([dense('d', 4)], {
        blocks: { loop: { layers: [{ id: 'l', type: 'block', block: 'loop' }] } },
      }),
    );
    expect(issues).toEqual([
      {
        pointer: '/blocks/loop',
        message: expect.stringContaining(
          'block "loop" is only used by blocks the model never applies',
        ),
      },
    ]);
  });

  it('reports a block applied to the wrong number of inputs', () => {
    const blocks = {
      pair: { inputs: ['a', 'b'], layers: [{ id: 's', type: 'add', inputs: ['a', 'b'] }] },
    };
    expect(invalid(spec([{ id: 'p', type: 'block', block: 'pair' }], { blocks }))).toEqual([
      { pointer: '/layers/0', message: 'block "pair" takes 2 inputs (a, b), got 1' },
    ]);
    expect(
      invalid(
        spec([{ id: 'p', type: 'block', block: 'pair', inputs: ['x', 'x', 'x'] }], { blocks }),
      ),
    ).toEqual([
      { pointer: '/layers/0/inputs', message: 'block "pair" takes 2 inputs (a, b), got 3' },
    ]);
  });

  it('reports a problem inside a repeated block once, at the definition, naming the repetition', () => {
    // (2) -> concatenate -> (4) -> reshape (4): fine once; the next repetition makes 8 values.
    const grow = {
      layers: [
        { id: 'cat', type: 'concatenate', inputs: ['x', 'x'] },
        { id: 'r', type: 'reshape', targetShape: [4] },
      ],
    };
    const shape = invalid(
      spec([{ id: 'g', type: 'block', block: 'grow', repeat: 3 }], { blocks: { grow } }, [2]),
    );
    expect(shape).toHaveLength(1);
    expect(shape[0]?.pointer).toMatch(/^\/blocks\/grow\/layers\/1/);
    expect(shape[0]?.message).toMatch(/cannot reshape.* \(in g\.1\)$/);

    // A static problem (an unknown reference) is reported once, not once per repetition.
    const typo = { layers: [dense('d', 4, { inputs: ['y'] })] };
    expect(
      invalid(spec([{ id: 'e', type: 'block', block: 'typo', repeat: 3 }], { blocks: { typo } })),
    ).toEqual([
      {
        pointer: '/blocks/typo/layers/0/inputs/0',
        message: 'unknown reference "y"; expected an input or layer id',
      },
    ]);
  });

  it('freezes every nested parameter of a block with trainable: false', () => {
    const blocks = {
      inner: { layers: [dense('d', 4)] },
      outer: {
        layers: [
          { id: 'i', type: 'block', block: 'inner' },
          { id: 'bn', type: 'batchNorm' },
        ],
      },
    };
    const m = valid(
      spec([{ id: 'o', type: 'block', block: 'outer', trainable: false }, dense('head', 2)], {
        blocks,
      }),
    );
    const frozen = m.nodes.filter((n) => n.path.startsWith('o.')).flatMap((n) => n.params);
    expect(frozen.map((p) => p.path)).toEqual([
      'o.0.i.0.d.kernel',
      'o.0.i.0.d.bias',
      'o.0.bn.gamma',
      'o.0.bn.beta',
      'o.0.bn.moving_mean',
      'o.0.bn.moving_variance',
    ]);
    expect(frozen.every((p) => !p.trainable)).toBe(true);
    // frozen: 4*4 + 4 = 20 and 4*4 = 16; trainable head: 4*2 + 2 = 10
    expect([m.totalParams, m.trainableParams, m.nonTrainableParams]).toEqual([46, 10, 36]);
    expect(m.layers.map((l) => [l.id, l.params, l.trainableParams])).toEqual([
      ['o', 36, 0],
      ['head', 10, 10],
    ]);
  });
});

describe('parameter totals', () => {
  it('counts batchNorm moving statistics as non-trainable', () => {
    const m = valid(
      spec([dense('d1', 64), { id: 'bn', type: 'batchNorm' }, dense('d2', 10)], {}, [32]),
    );
    // Keras: Dense(64) on 32 = 32*64 + 64 = 2112; BatchNormalization(64) = 4*64 = 256, of which
    // moving_mean and moving_variance (128) are non-trainable; Dense(10) = 64*10 + 10 = 650.
    expect(m.totalParams).toBe(3018);
    expect(m.trainableParams).toBe(2890);
    expect(m.nonTrainableParams).toBe(128);
  });

  it('matches Keras for LeNet-5 (same-padded first convolution)', () => {
    const text = JSON.stringify({
      specVersion: 1,
      name: 'lenet5',
      inputs: [{ id: 'image', shape: [28, 28, 1] }],
      layers: [
        {
          id: 'c1',
          type: 'conv2d',
          filters: 6,
          kernelSize: 5,
          padding: 'same',
          activation: 'relu',
        },
        { id: 's2', type: 'avgPool2d', poolSize: 2 },
        { id: 'c3', type: 'conv2d', filters: 16, kernelSize: 5, activation: 'relu' },
        { id: 's4', type: 'avgPool2d', poolSize: 2 },
        { id: 'flatten', type: 'flatten' },
        dense('f5', 120, { activation: 'relu' }),
        dense('f6', 84, { activation: 'relu' }),
        dense('probs', 10, { activation: 'softmax' }),
      ],
    });
    const r = validateSpecText(text);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    // c1 5*5*1*6 + 6 = 156; c3 5*5*6*16 + 16 = 2416; flatten 5*5*16 = 400;
    // f5 400*120 + 120 = 48120; f6 120*84 + 84 = 10164; probs 84*10 + 10 = 850
    expect(r.model.layers.map((l) => l.params)).toEqual([156, 0, 2416, 0, 0, 48120, 10164, 850]);
    expect(r.model.totalParams).toBe(61706);
    expect(r.model.nonTrainableParams).toBe(0);
  });
});

describe('limits', () => {
  it('stops at the layer that crosses maxParams', () => {
    // 8*32 + 32 = 288, then 32*32 + 32 = 1056: 1344 > 1000 at the second layer.
    const issues = invalid(
      spec([dense('a', 32), dense('b', 32), dense('c', 5000), dense('d', 2)], {}, [8]),
      { maxParams: 1000 },
    );
    expect(issues).toEqual([
      {
        pointer: '/layers/1',
        message: 'brings the model to 1,344 parameters, over the budget of 1,000 (maxParams)',
      },
    ]);
  });

  it('rejects an activation larger than maxTensorElements', () => {
    const issues = invalid(spec([dense('a', 5000), dense('b', 2)]), { maxTensorElements: 4096 });
    expect(issues).toEqual([
      {
        pointer: '/layers/0',
        message:
          'output (None, 5000) holds 5,000 values per sample, more than the limit of 4,096 (maxTensorElements)',
      },
    ]);
  });

  it('gives up on a block repeated a million times at maxLayers', () => {
    const blocks = { b: { layers: [dense('d', 4)] } };
    const huge = spec([{ id: 'big', type: 'block', block: 'b', repeat: 1_000_000 }], { blocks });
    expect(invalid(huge)).toEqual([
      {
        pointer: '/blocks/b/layers/0',
        message: 'expands the model past 100,000 layers (maxLayers) (in big.100000)',
      },
    ]);
    expect(invalid(huge, { maxLayers: 50 })).toEqual([
      {
        pointer: '/blocks/b/layers/0',
        message: 'expands the model past 50 layers (maxLayers) (in big.50)',
      },
    ]);
  });
});

describe('every problem at once', () => {
  it('reports five independent mistakes, sorted with numeric array indices', () => {
    const layers: Obj[] = Array.from({ length: 11 }, (_, i) => dense(`l${i}`, 4));
    layers[0] = dense('l0', -4);
    layers[2] = { id: 'l2', type: 'conv2D', filters: 4 };
    layers[3] = dense('l3', 4, { activaton: 'relu' });
    layers[10] = { id: 'l10', type: 'add', inputs: ['l9', 'l8x'] };
    const raw = spec(layers);
    delete raw.name;
    const issues = invalid(raw);
    expect(issues.map((i) => i.pointer)).toEqual([
      '/layers/0/units',
      '/layers/2/type',
      '/layers/3/activaton',
      '/layers/10/inputs/1',
      '/name',
    ]);
    expect(issues[0]?.message).toBe('expected a positive integer, got -4');
    expect(issues[1]?.message).toMatch(
      /^unknown layer type "conv2D"; expected one of dense, .*\(did you mean "conv2d"\?\)$/,
    );
    expect(issues[2]?.message).toMatch(
      /^unknown key "activaton"; .*\(did you mean "activation"\?\)$/,
    );
    expect(issues[3]?.message).toMatch(
      /^unknown reference "l8x"; expected an input or layer id \(did you mean "l8"\?\)$/,
    );
    expect(issues[4]?.message).toMatch(/^missing; expected /);
  });
});

describe('training.loss per output', () => {
  const twoHeads = (loss: unknown) => ({
    specVersion: 1,
    name: 'heads',
    inputs: [{ id: 'x', shape: [4] }],
    layers: [
      { id: 'cls', type: 'dense', units: 3, inputs: ['x'] },
      { id: 'reg', type: 'dense', units: 1, inputs: ['x'] },
    ],
    outputs: ['cls', 'reg'],
    training: { loss },
  });

  it('accepts a loss for each output', () => {
    expect(validateSpec(twoHeads({ cls: 'sparseCategoricalCrossentropy', reg: 'mse' })).ok).toBe(
      true,
    );
  });

  it('names a key that is not an output, with the closest output', () => {
    const r = validateSpec(twoHeads({ cls: 'sparseCategoricalCrossentropy', rge: 'mse' }));
    expect(r.ok ? [] : r.issues).toEqual([
      {
        pointer: '/training/loss/rge',
        message:
          '"rge" is not an output of the model; expected one of cls, reg (did you mean "reg"?)',
      },
    ]);
  });
});

describe('training.recipe', () => {
  const gan = (recipe: Obj) => ({
    specVersion: 1,
    name: 'gan',
    inputs: [
      { id: 'z', shape: [8] },
      { id: 'image', shape: [4] },
    ],
    layers: [
      { id: 'fake', type: 'dense', units: 4, inputs: ['z'] },
      { id: 'logit', type: 'dense', units: 1, inputs: ['image'] },
    ],
    outputs: ['fake', 'logit'],
    training: { loss: { type: 'binaryCrossentropy', fromLogits: true }, recipe },
  });
  const parts = { generator: { input: 'z', output: 'fake' } };

  it('accepts a GAN whose parts name tensors of the graph', () => {
    const m = valid(
      gan({ type: 'gan', ...parts, discriminator: { input: 'image', output: 'logit' } }),
    );
    expect(m.spec.training?.recipe).toMatchObject({ discriminatorSteps: 1, labelSmoothing: 0 });
  });

  it('names a recipe tensor the graph does not have', () => {
    const issues = invalid(
      gan({ type: 'gan', ...parts, discriminator: { input: 'imag', output: 'logit' } }),
    );
    expect(issues).toEqual([
      {
        pointer: '/training/recipe/discriminator/input',
        message:
          '"imag" is not a tensor of the model; expected an input or layer id (did you mean "image"?)',
      },
    ]);
  });

  it('requires the VAE tensors', () => {
    const issues = invalid(
      spec([dense('d', 2)], { training: { loss: 'mse', recipe: { type: 'vae' } } }),
    );
    expect(issues.map((i) => i.pointer)).toEqual([
      '/training/recipe/latent',
      '/training/recipe/logVar',
      '/training/recipe/mean',
    ]);
  });
});
