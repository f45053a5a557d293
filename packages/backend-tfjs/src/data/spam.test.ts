import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { loadSpam, type SpamData, withoutHeaders } from './spam.js';

const count = (labels: Int32Array, c: number) => labels.filter((y) => y === c).length;

describe('loadSpam', () => {
  let train: SpamData;
  let test: SpamData;
  beforeAll(() => {
    train = loadSpam({ split: 'train' });
    test = loadSpam({ split: 'test' });
  });

  it('splits 4,837 / 1,209, stratified: 20% of each class held out', () => {
    expect([train.texts.length, test.texts.length]).toEqual([4837, 1209]);
    expect([count(train.labels, 0), count(train.labels, 1)]).toEqual([3320, 1517]);
    expect([count(test.labels, 0), count(test.labels, 1)]).toEqual([830, 379]);
    expect(new Set(test.groups)).toEqual(
      new Set(['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']),
    );
  });

  it('never puts a message in both splits, and repeats for the same seed only', () => {
    const trainTexts = new Set(loadSpam({ split: 'train', headers: true }).texts);
    const testTexts = loadSpam({ split: 'test', headers: true }).texts;
    expect(testTexts.filter((t) => trainTexts.has(t))).toEqual([]);
    expect(loadSpam({ split: 'test' }).texts).toEqual(test.texts);
    expect(loadSpam({ split: 'test', seed: 2 }).texts).not.toEqual(test.texts);
  });

  it('labels the spam groups 1 and keeps the Subject line and body only', () => {
    train.groups.forEach((g, i) => {
      expect(train.labels[i]).toBe(g.startsWith('spam') ? 1 : 0);
    });
    const text = train.texts[0] ?? '';
    expect(text).toMatch(/^Subject: /);
    expect(text).not.toMatch(/^Received:/m);
  });

  it('rejects bad options with one DataError each', () => {
    expect(() => loadSpam({ testFraction: 1 })).toThrow(
      'testFraction: expected a number in (0, 1), got 1',
    );
    expect(() => loadSpam({ split: 'dev' as 'test' })).toThrow(DataError);
    expect(() => loadSpam({ seed: 0.5 })).toThrow('seed: expected an integer, got 0.5');
  });
});

describe('loadSpam on a broken corpus folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spam-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the missing file list', () => {
    expect(() => loadSpam({ dataDir: dir })).toThrow(
      `${join(dir, 'file_list.json')}: expected a file, got nothing there (no such file)`,
    );
  });

  it('names a missing or malformed message file', () => {
    mkdirSync(join(dir, 'spam-1'));
    writeFileSync(join(dir, 'file_list.json'), '["spam-1/a.txt", "spam-1/b.txt"]');
    writeFileSync(join(dir, 'spam-1', 'a.json'), '{"group": "spam-1", "text": "hi"}');
    expect(() => loadSpam({ dataDir: dir })).toThrow(/b\.json: expected a file, got nothing/);
    writeFileSync(join(dir, 'spam-1', 'b.json'), '{"group": "spam-9", "text": "hi"}');
    expect(() => loadSpam({ dataDir: dir })).toThrow(/b\.json: expected \{ group: one of/);
  });
});

describe('withoutHeaders', () => {
  it('keeps a folded Subject and the body after the first empty line', () => {
    const mail = 'From: a@b\r\nSubject: Cheap\r\n  pills\r\nTo: c\r\n\r\nBuy now.\n\nBye';
    expect(withoutHeaders(mail)).toBe('Subject: Cheap pills\n\nBuy now.\n\nBye');
    expect(withoutHeaders('To: c')).toBe('Subject: \n\n');
  });
});
