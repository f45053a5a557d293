// The zoo's bert-tiny (2 layers, width 128, 2 heads) trained from scratch to classify spam, with
// bert-spam.ts's recipe (the issue asks for bert-tiny and bert-mini).
// node packages/zoo/dist/examples/bert-tiny-spam.js [--quick] [--engine wasm]
import { runBertSpam } from './bert-spam.js';
import { type ExampleOptions, isMain, main } from './common.js';

export const bertTinySpam = (options: ExampleOptions) => runBertSpam('bert-tiny', options);

if (isMain(import.meta.url)) await main('bert-tiny-spam', bertTinySpam);
