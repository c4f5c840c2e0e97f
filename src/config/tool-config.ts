import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DeckError } from '../errors.js';
import { shownPath } from '../shown.js';
import { cleanText } from '../text.js';
import { readRegularText } from '../read-file.js';

/**
 * reveal-md's own config file, `reveal-md.json`, beside a deck or in the project: reveal-md
 * users keep their separators there. Read as one more layer of the deck's options, below its
 * front matter.
 */
export interface ToolConfig {
  /** The file as errors show it. */
  file: string;
  data: Record<string, unknown>;
}

export function readToolConfig(deckDir: string, projectDir: string): ToolConfig | undefined {
  for (const dir of [deckDir, projectDir]) {
    const path = join(dir, 'reveal-md.json');
    if (!existsSync(path)) continue;
    const file = shownPath(path, projectDir);
    let data: unknown;
    const text = cleanText(readRegularText(path, file));
    try {
      data = JSON.parse(text);
    } catch (err) {
      throw new DeckError('CONFIG_SYNTAX', `invalid JSON: ${(err as Error).message}`, {
        pos: { file, line: 1, column: 1 },
        hint: 'reveal-md.json must be one JSON object',
      });
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new DeckError('CONFIG_INVALID', 'expected a JSON object of options', {
        pos: { file, line: 1, column: 1 },
        hint: 'reveal-md.json must be one JSON object',
      });
    }
    const safe = Object.fromEntries(
      Object.entries(data as Record<string, unknown>).filter(
        ([k]) => !['__proto__', 'constructor', 'prototype'].includes(k),
      ),
    );
    return { file, data: safe };
  }
  return undefined;
}

/** Project files of other tools that say which tool the decks beside them were written for. */
export function readProjectHints(
  deckDir: string,
  projectDir: string,
  config: { slideLevel?: number; sectionDivs?: boolean; file: string | null },
): { marpConfig?: string; quartoProject?: string; pandocSetting?: { file: string; key: string } } {
  const hints: { marpConfig?: string; quartoProject?: string; pandocSetting?: { file: string; key: string } } = {};
  for (const dir of deckDir === projectDir ? [deckDir] : [deckDir, projectDir]) {
    const marp = marpConfigNames.find((name) => existsSync(join(dir, name)));
    if (marp && !hints.marpConfig) hints.marpConfig = shownPath(join(dir, marp), projectDir);
    if (!hints.quartoProject && existsSync(join(dir, '_quarto.yml')))
      hints.quartoProject = shownPath(join(dir, '_quarto.yml'), projectDir);
  }
  if (config.file && (config.slideLevel !== undefined || config.sectionDivs !== undefined))
    hints.pandocSetting = { file: config.file, key: config.slideLevel !== undefined ? 'slideLevel' : 'sectionDivs' };
  return hints;
}

const marpConfigNames = [
  '.marprc',
  '.marprc.yml',
  '.marprc.yaml',
  '.marprc.json',
  'marp.config.js',
  'marp.config.mjs',
  'marp.config.cjs',
  'marp.config.ts',
];
