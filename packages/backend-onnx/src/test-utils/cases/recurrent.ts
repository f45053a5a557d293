import type { LayerInput } from '@netspec/spec';
import type { ParityCase } from '../parity.js';

// Parity cases of the recurrent family: every kind, gates and biases seeded non-trivially.
const uniform = { type: 'randomUniform', minval: -0.5, maxval: 0.5 } as const;
const seq = { shape: [5, 3], run: [2, 5, 3] };
const free = { shape: [null, 3], run: [2, 6, 3] };

const cell = (
  name: string,
  layer: Record<string, unknown>,
  input: ParityCase['input'] = seq,
): ParityCase => ({
  name,
  layer: { id: 'y', biasInitializer: uniform, units: 4, ...layer } as LayerInput,
  input,
});

const bidi = (name: string, inner: Record<string, unknown>, extra = {}): ParityCase => ({
  name,
  layer: {
    id: 'y',
    type: 'bidirectional',
    layer: { biasInitializer: uniform, units: 3, ...inner },
    ...extra,
  } as LayerInput,
  input: seq,
});

/** Parity cases of the recurrent family: every kind and its important options. */
export const RECURRENT_CASES: ParityCase[] = [
  cell('lstm last', { type: 'lstm' }),
  cell('lstm sequences', { type: 'lstm', returnSequences: true }),
  cell('lstm state', { type: 'lstm', returnState: true }),
  cell('lstm sequences state goBackwards', {
    type: 'lstm',
    returnSequences: true,
    returnState: true,
    goBackwards: true,
  }),
  cell('lstm no bias free length', { type: 'lstm', useBias: false }, free),
  cell('lstm no unitForgetBias', { type: 'lstm', unitForgetBias: false }),
  cell('lstm hardSigmoid relu', {
    type: 'lstm',
    recurrentActivation: 'hardSigmoid',
    activation: 'relu',
    returnSequences: true,
  }),
  cell('gru resetAfter', { type: 'gru', returnSequences: true }),
  cell('gru no resetAfter', { type: 'gru', resetAfter: false, returnSequences: true }),
  cell('gru state goBackwards', { type: 'gru', returnState: true, goBackwards: true }),
  cell('gru no bias', { type: 'gru', useBias: false }),
  cell('gru hardSigmoid', { type: 'gru', recurrentActivation: 'hardSigmoid' }),
  cell('gru softsign free length', { type: 'gru', activation: 'softsign' }, free),
  cell('simpleRnn last', { type: 'simpleRnn' }),
  cell('simpleRnn sequences goBackwards', {
    type: 'simpleRnn',
    returnSequences: true,
    goBackwards: true,
  }),
  cell('simpleRnn relu state', { type: 'simpleRnn', activation: 'relu', returnState: true }),
  cell('simpleRnn no bias sigmoid', { type: 'simpleRnn', useBias: false, activation: 'sigmoid' }),
  bidi('bidirectional lstm concat', { type: 'lstm' }),
  bidi('bidirectional lstm sequences concat', { type: 'lstm', returnSequences: true }),
  bidi(
    'bidirectional gru sequences sum',
    { type: 'gru', returnSequences: true },
    { mergeMode: 'sum' },
  ),
  bidi('bidirectional gru mul', { type: 'gru' }, { mergeMode: 'mul' }),
  bidi(
    'bidirectional simpleRnn sequences ave',
    { type: 'simpleRnn', returnSequences: true },
    { mergeMode: 'ave' },
  ),
  bidi('bidirectional lstm goBackwards sequences', {
    type: 'lstm',
    returnSequences: true,
    goBackwards: true,
  }),
];

/**
 * Multi-output cases (returnState, mergeMode null): parity checks the first output here; the
 * graph test checks every output is named and shaped.
 */
export const RECURRENT_MULTI_OUTPUT_CASES: ParityCase[] = [
  cell('lstm sequences state (all outputs)', {
    type: 'lstm',
    returnSequences: true,
    returnState: true,
  }),
  cell('lstm state goBackwards (all outputs)', {
    type: 'lstm',
    returnState: true,
    goBackwards: true,
  }),
  cell('gru state (all outputs)', { type: 'gru', returnState: true }),
  cell('simpleRnn state goBackwards (all outputs)', {
    type: 'simpleRnn',
    returnState: true,
    goBackwards: true,
  }),
  bidi('bidirectional lstm state (all outputs)', { type: 'lstm', returnState: true }),
  bidi(
    'bidirectional gru sequences unmerged state (all outputs)',
    { type: 'gru', returnSequences: true, returnState: true },
    { mergeMode: null },
  ),
  bidi(
    'bidirectional simpleRnn unmerged (all outputs)',
    { type: 'simpleRnn' },
    { mergeMode: null },
  ),
  {
    name: 'timeDistributed lstm state (all outputs)',
    layer: {
      id: 'y',
      type: 'timeDistributed',
      layer: { type: 'lstm', units: 3, returnState: true, biasInitializer: uniform },
    },
    input: { shape: [2, 5, 3], run: [2, 2, 5, 3] },
  },
];
