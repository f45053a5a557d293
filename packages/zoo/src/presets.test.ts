import { resolveSpec, validateSpec } from '@netspec/spec';
import { describe, expect, it } from 'vitest';
import { describeOption, PresetOptionError } from './preset-options.js';
import { buildPreset, isPresetName, PRESET_NAMES, PRESETS, preset } from './presets.js';

// Reference counts (trainable parameters; see the family tests for the derivations):
const REFERENCE: Record<string, number> = {
  lenet5: 61_706, // examples/lenet5.json, LeNet-5 (LeCun et al. 1998) padded for 28x28
  'mnist-convnet': 34_826, // Keras example "Simple MNIST convnet"
  resnet18: 11_689_512, // torchvision
  resnet34: 21_797_672, // torchvision
  resnet50: 25_557_032, // torchvision
  resnet20: 269_722, // He et al. 2015 (0.27M), option A; akamaster/pytorch_resnet_cifar10
  'lstm-classifier': 2_659_074, // 20000*128 + 2*4*(128*64 + 64*64 + 64) + 128*2+2
  'lstm-forecaster': 29_345, // 4*(1*64 + 64*64 + 64) + 4*(64*32 + 32*32 + 32) + 32+1
  'dcgan-mnist': 904_258, // see gan.test.ts
  'vae-mnist': 835_384, // see vae.test.ts
  'conv-vae-mnist': 191_225, // see vae.test.ts
  'autoencoder-mnist': 209_968, // see autoencoder.test.ts
  'denoising-autoencoder-mnist': 28_353, // Keras example "Convolutional autoencoder for image denoising"
  // transformers GPT2LMHeadModel (tied head), vocabulary 50,257, 1024 positions; gpt.test.ts
  'gpt-nano': 2_546_400,
  'gpt-micro': 7_357_312,
  'gpt-mini': 12_515_520,
  gpt2: 124_439_808,
  // transformers BertModel + a 2-class head (H*2 + 2); bert.test.ts
  'bert-tiny': 4_385_920 + 258,
  'bert-mini': 11_170_560 + 514,
  'bert-small': 28_763_648 + 1_026,
  'bert-medium': 41_373_184 + 1_026,
  'bert-base': 109_482_240 + 1_538,
  'vit-tiny-mnist': 204_938, // see vit.test.ts
  'wavenet-small': 86_560, // see wavenet.test.ts
};

describe('presets', () => {
  it('lists every preset once, with a one-line description', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(REFERENCE).sort());
    for (const p of PRESETS) expect(p.description).not.toMatch(/\n/);
  });

  for (const name of Object.keys(REFERENCE)) {
    it(`${name} resolves to its reference count`, () => {
      const spec = preset(name);
      expect(spec.name).toBe(name);
      expect(resolveSpec(spec).trainableParams).toBe(REFERENCE[name]);
    });
  }

  it('rejects unknown names, listing the known ones', () => {
    expect(isPresetName('resnet50')).toBe(true);
    expect(isPresetName('resnet101')).toBe(false);
    expect(() => preset('resnet101')).toThrow(/expected one of lenet5, mnist-convnet/);
    expect(() => buildPreset('gpt-nan')).toThrow(/\(did you mean "gpt-nano"\?\)$/);
  });

  it('returns a fresh object each call', () => {
    expect(preset('resnet18')).not.toBe(preset('resnet18'));
  });
});

describe('buildPreset', () => {
  it("documents every option with its type, default and a line; defaults are the preset's", () => {
    for (const p of PRESETS) {
      for (const o of p.options) {
        expect(o.doc, `${p.name}.${o.name}`).toMatch(/^[^\n]+$/);
        if (o.type === 'enum') expect(o.values).toContain(o.default);
        // Setting every option to its documented default gives the preset itself.
        if (o.default === undefined) continue;
        const same = buildPreset(p.name, { [o.name]: String(o.default) });
        expect(same, `${p.name} --set ${o.name}=${o.default}`).toEqual(p.spec());
      }
    }
  });

  it('parses each value by its type and passes it to the factory', () => {
    const spec = buildPreset('gpt-nano', {
      layers: '2',
      vocabularySize: '83',
      contextLength: '64',
      dropout: '0',
      tied: 'false',
    });
    const model = resolveSpec(spec);
    expect(model.nodes.filter((n) => n.layer.type === 'transformerDecoder')).toHaveLength(2);
    expect(model.outputs[0]?.shape).toEqual([null, 83]);
    expect(spec.layers.at(-1)).toMatchObject({ type: 'dense', units: 83 });
    expect(spec.layers.some((l) => l.type === 'dropout')).toBe(false);
    const gru = buildPreset('lstm-forecaster', { cell: 'gru' });
    expect(validateSpec(gru).ok).toBe(true);
    expect(gru.layers[0]).toMatchObject({ type: 'gru' });
  });

  const bad: [string, Record<string, string>, string][] = [
    [
      'gpt-nano',
      { layerz: '2' },
      'gpt-nano: unknown option "layerz"; expected one of vocabularySize, contextLength, layers, heads, width, intermediate, dropout, tied (did you mean "layers"?)',
    ],
    ['lenet5', { classes: '3' }, 'lenet5: unknown option "classes"; this preset has none'],
    [
      'gpt-nano',
      { layers: '2.5' },
      'gpt-nano: option "layers": expected an integer >= 1, got "2.5"',
    ],
    ['gpt-nano', { layers: '0' }, 'gpt-nano: option "layers": expected an integer >= 1, got "0"'],
    ['gpt-nano', { layers: '' }, 'gpt-nano: option "layers": expected an integer >= 1, got ""'],
    [
      'gpt-nano',
      { dropout: '1' },
      'gpt-nano: option "dropout": expected a number in [0, 1), got "1"',
    ],
    ['gpt-nano', { tied: 'yes' }, 'gpt-nano: option "tied": expected true or false, got "yes"'],
    [
      'lstm-forecaster',
      { cell: 'gur' },
      'lstm-forecaster: option "cell": expected one of lstm, gru, got "gur" (did you mean "gru"?)',
    ],
    [
      'wavenet-small',
      { layers: '31' },
      'wavenet-small: option "layers": expected an integer in [1, 30], got "31"',
    ],
    ['gpt-nano', { heads: '5' }, 'gpt-nano: heads must divide width 48, got 5'],
  ];
  it.each(bad)('%s %o: one clear PresetOptionError', (name, overrides, message) => {
    let error: unknown;
    try {
      buildPreset(name, overrides);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PresetOptionError);
    expect((error as PresetOptionError).message).toBe(message);
    expect((error as PresetOptionError).preset).toBe(name);
  });

  it('describes what each option accepts', () => {
    const gpt = PRESETS.find((p) => p.name === 'gpt2');
    expect(gpt?.options.map((o) => `${o.name}: ${describeOption(o)}`)).toEqual([
      'vocabularySize: an integer >= 1',
      'contextLength: an integer >= 1',
      'layers: an integer >= 1',
      'heads: an integer >= 1',
      'width: an integer >= 1',
      'intermediate: an integer >= 1',
      'dropout: a number in [0, 1)',
      'tied: true or false',
    ]);
  });
});
