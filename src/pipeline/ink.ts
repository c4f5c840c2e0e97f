import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding } from '../errors.js';
import { type InkFile, inkFileName, parseInkFile } from '../model/ink.js';
import { readRegularText } from '../read-file.js';

/** Where a deck file's drawing is kept: beside it, `talk.md` → `talk.annotations.json`. */
export function inkPathOf(deckFile: string): string {
  return join(dirname(deckFile), inkFileName(basename(deckFile)));
}

/**
 * The drawing kept beside a deck file, for `--annotations`: none (with a warning) when there is no
 * file; strokes that are not well formed are left out, each named in a warning.
 */
export function readDeckInk(deckFile: string, shownDeck: string): { ink?: InkFile; warnings: Finding[] } {
  const path = inkPathOf(deckFile);
  const shown = join(dirname(shownDeck), basename(path));
  if (!existsSync(path)) {
    return {
      warnings: [
        {
          code: 'ANNOTATIONS_UNREADABLE',
          message: `--annotations: no drawing for ${shownDeck} (looked for ${shown}); the PDF has none`,
          pos: { file: shownDeck },
          hint: 'draw on the slides during `lectern present`: the drawing is kept in that file',
        },
      ],
    };
  }
  const { ink, dropped } = parseInkFile(readRegularText(path));
  const warnings: Finding[] = dropped.map((what) => ({
    code: 'ANNOTATIONS_UNREADABLE',
    message: `${shown}: ${what} is not well formed and is left out of the PDF`,
    pos: { file: shown },
    hint: 'each stroke is {"id", "tool": "pen" | "highlighter", "color": "#rrggbb", "width", "points": [[x, y], …]}',
  }));
  return ink.width && ink.height ? { ink, warnings } : { warnings };
}
