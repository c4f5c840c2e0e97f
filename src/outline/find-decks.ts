import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeckError } from '../errors.js';

/** Deck files from the inputs: files as given, folders as every `.md` (and Quarto `.qmd`) in them but README.md. */
export function findDeckFiles(projectDir: string, inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const path = resolve(projectDir, input);
    if (!existsSync(path)) {
      throw new DeckError('INPUT_MISSING', `no such file or folder: ${input}`, {
        hint: 'give deck files (.md) or folders that hold them',
      });
    }
    if (statSync(path).isDirectory()) {
      const decks = readdirSync(path)
        .filter((entry) => /\.(md|qmd)$/.test(entry) && !/^readme\.md$/i.test(entry))
        .sort()
        .map((entry) => join(path, entry));
      if (decks.length === 0) {
        throw new DeckError('INPUT_MISSING', `no .md decks in ${input}`, {
          hint: 'a deck is a Markdown file with a `.md` name',
        });
      }
      files.push(...decks);
    } else {
      files.push(path);
    }
  }
  return [...new Set(files)];
}
