import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  formatIssue,
  SpecSchema,
  specJsonSchema,
  specJsonSchemaText,
  validateSpecText,
} from './index.js';

const INVALID = new URL('../fixtures/invalid/', import.meta.url);
const VALID = new URL('../fixtures/valid/', import.meta.url);
const SCHEMA_FILE = new URL('../netspec.schema.json', import.meta.url);

const jsonFiles = (dir: URL) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .sort();
const read = (dir: URL, file: string) => readFileSync(new URL(file, dir), 'utf8');
const expected = JSON.parse(read(INVALID, 'expected.json')) as Record<string, string>;
const invalidFiles = jsonFiles(INVALID);
const validFiles = jsonFiles(VALID);

/** The value JSON.parse gives, or undefined for text that is not JSON (the syntax fixtures). */
function parsed(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Issues of a fixture that must be rejected; fails the test when it is accepted. */
function issuesOf(file: string) {
  const result = validateSpecText(read(INVALID, file));
  if (result.ok) throw new Error(`${file} was accepted`);
  return result.issues;
}

describe('invalid fixtures', () => {
  it('each has an expected pointer in expected.json, and there are at least 40', () => {
    expect(invalidFiles).toEqual(Object.keys(expected).sort());
    expect(invalidFiles.length).toBeGreaterThanOrEqual(40);
  });

  it.each(invalidFiles)('%s is rejected at its expected pointer', (file) => {
    const issues = issuesOf(file);
    expect(issues.map((i) => i.pointer)).toContain(expected[file]);
    expect(issues.map(formatIssue)).toMatchSnapshot();
  });

  it('a file that is not JSON gets one issue, about its syntax', () => {
    const syntax = invalidFiles.filter((f) => !parsed(read(INVALID, f)));
    expect(syntax.length).toBeGreaterThanOrEqual(4);
    for (const file of syntax) {
      expect(issuesOf(file).map(formatIssue), file).toEqual([
        expect.stringContaining('invalid JSON'),
      ]);
    }
  });
});

// Messages the snapshots would freeze in a wrong form; each names what it must (not) say.
describe('invalid fixture messages', () => {
  const message = (file: string) =>
    issuesOf(file).find((i) => i.pointer === expected[file])?.message ?? '';

  it('a number too large for JSON (1e400) is not reported as null', () => {
    expect(message('16-units-overflow.json')).not.toContain('got null');
  });
  it('uses the article of the dtype', () => {
    expect(message('24-float32-into-embedding.json')).toContain('expected an int32 input');
  });
  it('does not suggest the value that was written', () => {
    expect(message('52-spec-version-string.json')).not.toContain('did you mean "1"');
  });
  it('suggests the loss that was meant', () => {
    expect(message('64-loss-typo.json')).toContain('did you mean "sparseCategoricalCrossentropy"');
  });
});

/**
 * Parameter counts by the Keras formulas, one term per layer:
 * dense in*units + units; conv2d kh*kw*in*filters + filters; conv2dTranspose kh*kw*filters*in +
 * filters; batchNorm 4*channels (gamma, beta, moving mean and variance; 2*channels trainable);
 * lstm 4*units*(in + units + 1); gru with resetAfter 3*units*(in + units) + 2*3*units;
 * bidirectional twice its layer; embedding inputDim*outputDim; layerNorm 2*d.
 */
const D = 128; // model width of the transformer fixtures
const HEADS_DIM = D; // numHeads * keyDim = 4 * 32
/** keras_nlp encoder/decoder layer without cross-attention, width d, feed-forward f. */
const transformerLayer = (d: number, f: number) =>
  3 * (d * HEADS_DIM + HEADS_DIM) + // query, key, value: kernel (d, heads, keyDim) + bias (heads, keyDim)
  (HEADS_DIM * d + d) + // attention output: kernel (heads, keyDim, d) + bias (d)
  2 * d + // attention layer norm
  (d * f + f) + // ffn intermediate dense
  (f * d + d) + // ffn output dense
  2 * d; // ffn layer norm
const residualBlock = (c: number) => 2 * (3 * 3 * c * c + c) + 2 * (4 * c); // two 3x3 convs + two batchNorms

const PARAMS: Record<string, number> = {
  'mlp.json':
    784 * 256 +
    256 + // fc1
    4 * 256 + // bn1
    256 * 128 +
    128 + // fc2
    4 * 128 + // bn2
    128 * 10 +
    10, // probs
  'resnet-cnn.json':
    3 * 3 * 3 * 16 +
    16 + // stem
    3 * residualBlock(16) + // stage1, repeat 3
    3 * 3 * 16 * 32 +
    32 + // down
    2 * residualBlock(32) + // stage2, repeat 2
    32 * 10 +
    10, // probs (after globalAvgPool2d: 32 features)
  'bilstm-text.json':
    10000 * 64 + // embed
    2 * (4 * 32 * (64 + 32 + 1)) + // bilstm1: forward + backward over 64 features
    2 * (4 * 16 * (64 + 16 + 1)) + // bilstm2: over the 2*32 = 64 concatenated features
    16 * 2 * 1 +
    1, // positive: 32 features -> 1
  'gru-forecaster.json':
    3 * 64 * (8 + 64) +
    2 * 3 * 64 + // gru1
    3 * 32 * (64 + 32) +
    2 * 3 * 32 + // gru2
    32 * 24 +
    24, // horizon (reshape has none)
  'conv-autoencoder.json':
    3 * 3 * 1 * 16 +
    16 + // enc1
    3 * 3 * 16 * 8 +
    8 + // enc2
    3 * 3 * 8 * 8 +
    8 + // dec1: kernel (3, 3, filters 8, in 8)
    3 * 3 * 16 * 8 +
    16 + // dec2: kernel (3, 3, filters 16, in 8)
    3 * 3 * 16 * 1 +
    1, // reconstruction
  'vae-encoder.json':
    3 * 3 * 1 * 32 +
    32 + // conv1 -> (14, 14, 32)
    3 * 3 * 32 * 64 +
    64 + // conv2 -> (7, 7, 64)
    7 * 7 * 64 * 16 +
    16 + // hidden on the 3136 flattened features
    2 * (16 * 2 + 2), // zMean and zLogVar (sampling has none)
  'bert-classifier.json':
    8000 * D +
    128 * D + // token and position embeddings
    2 * transformerLayer(D, 512) + // encoder, repeat 2
    D * 128 +
    128 + // pooler on the [CLS] vector
    128 * 2 +
    2, // probs
  'gpt-generator.json':
    5000 * D +
    64 * D + // token and position embeddings
    2 * transformerLayer(D, 512) + // decoder, repeat 2 (no encoder: no cross-attention)
    2 * D + // finalNorm
    D * 5000 +
    5000, // logits
};

describe('valid fixtures', () => {
  it('there are at least 8, each with a hand count', () => {
    expect(validFiles.length).toBeGreaterThanOrEqual(8);
    expect(validFiles).toEqual(Object.keys(PARAMS).sort());
  });

  it.each(validFiles)('%s resolves to its hand-counted parameters', (file) => {
    const text = read(VALID, file);
    const result = validateSpecText(text);
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    expect(result.model.totalParams).toBe(PARAMS[file]);
    const raw = JSON.parse(text) as { $schema?: string; training?: unknown };
    expect(raw.$schema).toBe('../../netspec.schema.json');
    expect(raw.training).toBeDefined();
  });
});

describe('JSON Schema', () => {
  it('the committed netspec.schema.json is current', () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(
      committed,
      'netspec.schema.json is out of date: run `pnpm --filter @netspec/spec gen:schema`',
    ).toBe(specJsonSchemaText());
  });

  const validate = new Ajv2020({ strict: false, allErrors: true }).compile(specJsonSchema());
  const all = [
    ...invalidFiles.map((f) => ({ name: `invalid/${f}`, text: read(INVALID, f) })),
    ...validFiles.map((f) => ({ name: `valid/${f}`, text: read(VALID, f) })),
  ].flatMap(({ name, text }) => {
    const p = parsed(text);
    return p ? [{ name, value: p.value }] : [];
  });

  it.each(all)('agrees with zod on $name', ({ value }) => {
    expect(validate(value), JSON.stringify(validate.errors)).toBe(
      SpecSchema.safeParse(value).success,
    );
  });

  it.each(validFiles)('accepts valid/%s', (file) => {
    const ok = validate(JSON.parse(read(VALID, file)));
    expect(ok, JSON.stringify(validate.errors)).toBe(true);
  });
});
