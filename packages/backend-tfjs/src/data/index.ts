export { type CsvOptions, readCsv, readCsvFile } from './csv.js';
export {
  type DataArray,
  type DataDtype,
  type Dataset,
  dataArray,
  type Fold,
  kFold,
  makeDataset,
  slice,
  split,
  take,
} from './dataset.js';
export { DataError, type DataLocation } from './errors.js';
export {
  FASHION_MNIST_LABELS,
  type FashionMnistOptions,
  type FashionMnistSplit,
  loadFashionMnist,
  loadFashionMnistSplits,
} from './fashion-mnist.js';
export {
  gunzip,
  type IdxArray,
  type IdxData,
  type IdxDtype,
  type IdxReadOptions,
  readIdx,
  readIdxFile,
} from './idx.js';
export { type JsonDataOptions, readJsonData, readJsonFile } from './json.js';
export { BUILTIN_SOURCES, type LoadOptions, loadData } from './load.js';
export {
  type ImageOptions,
  loadMnist,
  MNIST_LABELS,
  type MnistOptions,
  type MnistSplit,
} from './mnist.js';
export {
  type NpyReadOptions,
  readNpy,
  readNpyFile,
  writeNpy,
  writeNpyFile,
} from './npy.js';
export {
  loadSpam,
  SPAM_LABELS,
  type SpamData,
  type SpamOptions,
  type SpamSplit,
  withoutHeaders,
} from './spam.js';
export {
  charVocabulary,
  decodeChars,
  encodeChars,
  type LanguageModelOptions,
  languageModelWindows,
  loadMobyDick,
  splitByPosition,
  textDatasets,
  type Vocabulary,
  type WindowOptions,
} from './text.js';
export { decodeWords, encodeWords, splitWords, UNKNOWN, wordVocabulary } from './words.js';
