import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Finding } from '../errors.js';
import { fewOf, type InkFile, inkFileName, parseInkFile } from '../model/ink.js';
import { readRegularText } from '../read-file.js';

/** Where a deck file's drawing is kept: beside it, `talk.md` → `talk.annotations.json`. */
export function inkPathOf(deckFile: string): string {
  return join(dirname(deckFile), inkFileName(basename(deckFile)));
}

/**
 * A drawing file read as it is kept: a link is not followed (what it points at is no drawing
 * of this deck's), a file past 64 MB is not read; what is not well formed is named in `dropped`.
 */
export function readInkFile(path: string): { ink: InkFile; dropped: string[] } {
  const empty = { width: 0, height: 0, slides: {} };
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(path);
  } catch {
    return { ink: empty, dropped: [] };
  }
  if (stat.isSymbolicLink()) return { ink: empty, dropped: ['the whole file (a link, not followed)'] };
  if (!stat.isFile()) return { ink: empty, dropped: ['the whole file (not a regular file)'] };
  if (stat.size > 64 * 1024 * 1024) return { ink: empty, dropped: ['the whole file (over 64 MB)'] };
  return parseInkFile(readRegularText(path));
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
  const { ink, dropped } = readInkFile(path);
  const warnings: Finding[] = fewOf(dropped).map((what) => ({
    code: 'ANNOTATIONS_UNREADABLE',
    message: `${shown}: ${what} is left out of the PDF`,
    pos: { file: shown },
    hint: 'each stroke is {"id", "tool": "pen" | "highlighter", "color": "#rrggbb", "width", "points": [[x, y], …]}',
  }));
  return ink.width && ink.height ? { ink, warnings } : { warnings };
}
