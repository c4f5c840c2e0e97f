import { readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readToolConfig } from '../../src/config/tool-config.js';
import { deckFrom, readOutline } from '../../src/model/read-deck.js';
import { importLoader } from '../../src/outline/imports.js';
import { decodeSource } from '../../src/outline/read.js';
import { defaultLayouts } from './deck.js';

/**
 * The dialect corpus: decks written for reveal-md, the reveal.js plugin, Pandoc, Quarto and
 * Marp, each with the structure its tool gives it (see `npm run compat`, which measures the
 * real tools; `differs` says where Lectern reads a deck otherwise, and why).
 */
export const corpusDir = join(import.meta.dirname, '../fixtures/dialects');

export interface CorpusDeck {
  file: string;
  dialect: string;
  total: number;
  horizontal: number;
  notes: number;
  features: string[];
  differs?: string;
  notesDiffer?: string;
}

export const corpus: CorpusDeck[] = JSON.parse(readFileSync(join(corpusDir, 'expected.json'), 'utf8'));

export function readCorpusDeck(file: string) {
  const path = join(corpusDir, file);
  const { outline, options } = readOutline(
    decodeSource(readFileSync(path), file),
    file,
    {},
    {},
    readToolConfig(dirname(path), corpusDir),
    { load: importLoader(corpusDir, dirname(path)) },
  );
  return { outline, options, deck: deckFrom(outline, options, basename(file, extname(file)), defaultLayouts) };
}
