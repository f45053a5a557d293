export {
  type AddedTokenJson,
  type BpeModelJson,
  type TokenizerComponent,
  TokenizerError,
  type TokenizerJson,
  type WordPieceModelJson,
} from './json.js';
export { loadTokenizer } from './load.js';
export type {
  DecodeOptions,
  EncodeOptions,
  SpecialTokens,
  Tokenizer,
  TokenizerKind,
} from './tokenizer.js';
export { type TrainTokenizerOptions, trainTokenizer } from './train.js';
