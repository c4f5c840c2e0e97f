import { existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DeckError } from '../errors.js';
import { readRegularText } from '../read-file.js';

/**
 * What Lectern wrote into an output folder, so it replaces nothing else: a deck folder or an
 * index.html that is not in this record (and does not look like an earlier Lectern's output)
 * is refused, never overwritten.
 */
export const OUTPUT_RECORD = '.lectern-output.json';

interface OutputRecord {
  decks: string[];
  files: string[];
}

export function readOutputRecord(outDir: string): OutputRecord {
  try {
    const raw = JSON.parse(readRegularText(join(outDir, OUTPUT_RECORD))) as Partial<OutputRecord>;
    const names = (v: unknown): string[] =>
      Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string') : [];
    return { decks: names(raw.decks), files: names(raw.files) };
  } catch {
    return { decks: [], files: [] };
  }
}

/** The record after this run: what it held, plus what the run wrote. */
export function addToRecord(record: OutputRecord, decks: string[], files: string[]): OutputRecord {
  return {
    decks: [...new Set([...record.decks, ...decks])].sort(),
    files: [...new Set([...record.files, ...files])].sort(),
  };
}

/** A deck folder an earlier Lectern wrote, before outputs kept a record: its deck.json and runtime files. */
function looksLikeDeckFolder(path: string): boolean {
  const stat = lstatSync(path);
  return stat.isDirectory() && existsSync(join(path, 'deck.json')) && existsSync(join(path, '_lectern', 'reveal'));
}

function looksLikeIndexPage(path: string): boolean {
  const stat = lstatSync(path);
  return stat.isFile() && readRegularText(path).slice(0, 2000).includes('<meta name="generator" content="Lectern">');
}

/** Refuses to replace anything in `outDir` that Lectern did not write. Runs under the output lock. */
export function assertOwned(
  outDir: string,
  record: OutputRecord,
  decks: string[],
  files: string[],
  options: { requireDecks?: boolean } = {},
): void {
  for (const name of decks) {
    const path = join(outDir, name);
    // Written into, a deck folder that is a link would take the writes wherever it leads.
    if (options.requireDecks && isLink(path)) throw notOurs(path, `${name} is a link, not a folder Lectern wrote`);
    // A folder that is not there is refused too when it is to be written into, not replaced.
    if (
      (!options.requireDecks && !lstatSafe(path)) ||
      record.decks.includes(name) ||
      (lstatSafe(path) && looksLikeDeckFolder(path))
    )
      continue;
    throw notOurs(path, `${name} is there and was not written by Lectern`);
  }
  for (const name of files) {
    const path = join(outDir, name);
    if (!lstatSafe(path) || record.files.includes(name) || looksLikeIndexPage(path)) continue;
    throw notOurs(path, `${name} is there and was not written by Lectern`);
  }
}

function notOurs(path: string, what: string): DeckError {
  return new DeckError('OUTPUT_NOT_OURS', `refusing to replace ${path}: ${what}`, {
    pos: { file: path },
    hint: 'move it out of the way, or build into a folder of its own with --out; Lectern replaces only what it wrote',
  });
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function lstatSafe(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Deck names Lectern keeps for itself in an output folder. */
export function reservedDeckName(name: string): boolean {
  const lower = name.toLowerCase();
  return name === '' || name === '.' || name === '..' || lower === 'index.html' || lower.startsWith('.lectern');
}

/** The real path of a folder, or of its nearest existing parent plus the rest. */
function realish(path: string): string {
  let head = resolve(path);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...tail);
    } catch {
      const parent = dirname(head);
      if (parent === head) return resolve(path);
      tail.unshift(head.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      head = parent;
    }
  }
}

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-z]:/i.test(rel);
};

/**
 * The output folder may not be, or hold, a folder the run reads from (decks, their images,
 * templates); it may sit inside one only when it is the configured output. Symlinks are followed.
 */
export function assertOutputApart(
  outDir: string,
  sources: { dir: string; what: string }[],
  options: { configured: boolean; projectDir: string; shown: (path: string) => string },
): void {
  const { configured } = options;
  const shown = (path: string): string => options.shown(path) || '.';
  const out = realish(outDir);
  // The project folder holds its output folder by design.
  const project = realish(options.projectDir);
  for (const source of sources) {
    const src = realish(source.dir);
    const problem =
      out === src
        ? 'is'
        : inside(src, out)
          ? 'holds'
          : !configured && src !== project && inside(out, src)
            ? 'is inside'
            : null;
    if (!problem) continue;
    throw new DeckError(
      'OUTPUT_OVERLAPS_SOURCE',
      `the output folder ${shown(outDir)} ${problem} ${shown(source.dir)}, ${source.what}`,
      {
        pos: { file: shown(outDir) },
        hint: 'build into a folder of its own, such as --out dist: Lectern replaces what it writes there, and must never touch your sources',
      },
    );
  }
}
