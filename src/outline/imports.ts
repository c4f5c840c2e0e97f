import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DeckError } from '../errors.js';
import type { LoadImport } from './dialects/slidev.js';
import { readDeckFile } from './read.js';

/** The most files one deck may bring in: bounded work for a deck from someone else. */
const MAX_IMPORTS = 200;
/** The most text they may hold together, as one deck file may. */
const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/**
 * Reads the Markdown files a deck brings in (Slidev's `src:`): only `.md` files inside the
 * project, nothing hidden, each read as a deck file is (UTF-8, size). Paths are relative to the
 * importing file; `/x.md` is the deck's own folder, as Slidev's project root. `files` collects
 * what was read, for the watcher and the build's inputs.
 */
export function importLoader(projectDir: string, deckDir: string, files: string[] = []): LoadImport {
  const root = realOr(projectDir);
  let count = 0;
  let bytes = 0;
  return (path, fromFile) => {
    if (++count > MAX_IMPORTS) return { missing: `a deck may bring in ${MAX_IMPORTS} files at most` };
    const clean = path.trim();
    if (clean === '' || /^[a-z][a-z0-9+.-]*:/i.test(clean) || clean.includes('\\'))
      return { missing: 'not a relative path' };
    const from = clean.startsWith('/') ? join(deckDir, clean) : resolve(projectDir, dirname(fromFile), clean);
    const shown = relative(projectDir, from);
    if (shown.startsWith('..') || isAbsolute(shown)) return { missing: 'outside the project: not read' };
    if (shown.split(sep).some((part) => part.startsWith('.'))) return { missing: 'a hidden file: not read' };
    if (!/^\.(md|markdown)$/i.test(extname(from))) return { missing: 'not a Markdown file' };
    if (!existsSync(from) || !statSync(from).isFile()) return { missing: 'no such file' };
    const real = realpathSync(from);
    if (real !== root && !real.startsWith(root + sep)) return { missing: 'a link out of the project: not read' };
    // What the file really is counts, links followed: a `.md` link to `.env` is `.env`.
    if (
      relative(root, real)
        .split(sep)
        .some((part) => part.startsWith('.'))
    )
      return { missing: 'a link to a hidden file: not read' };
    if (!/^\.(md|markdown)$/i.test(extname(real)))
      return { missing: 'a link to a file that is not Markdown: not read' };
    if (bytes > MAX_IMPORT_BYTES)
      return { missing: `a deck may bring in ${MAX_IMPORT_BYTES / 1024 / 1024} MB at most` };
    const file = shown.split(sep).join('/');
    try {
      const text = readDeckFile(real, file);
      bytes += text.length;
      files.push(real);
      return { text, file };
    } catch (err) {
      return { missing: err instanceof DeckError ? err.message : String(err) };
    }
  };
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
