// Regenerates the vocabulary tables of README.md from the layer registry.
import { readFileSync, writeFileSync } from 'node:fs';
import { withVocabulary } from './vocabulary-doc.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withVocabulary(readFileSync(readme, 'utf8')));
