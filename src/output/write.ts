import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { DeckError, type Finding, interrupted } from '../errors.js';
import type { FileCopy } from '../assets/plan.js';
import { openChecked } from '../assets/verify-copies.js';
import { runtimeDir } from '../deck-layout.js';
import { onExit } from '../processes.js';
import { openRegular, readRegularText } from '../read-file.js';
import { addToRecord, assertOwned, OUTPUT_RECORD, readOutputRecord } from './ownership.js';

/** The file operations output uses, replaceable so tests can inject faults (a full disk, say). */
export interface OutputFs {
  writeFileSync: (path: string, data: string | Uint8Array) => void;
  copyFileSync: (from: string, to: string) => void;
  renameSync: (from: string, to: string) => void;
}

const realFs: OutputFs = { writeFileSync, copyFileSync, renameSync };

/** Everything one built deck folder holds. */
export interface DeckOutput {
  name: string;
  files: { path: string; content: string }[];
  copies: FileCopy[];
}

const TMP_PREFIX = '.lectern-tmp-';
/** Temporary names carry the writer's pid, so a later run can tell a dead run's leftovers. */
const tmpName = (): string => `${TMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`;
/** Lets the event loop run, so a Ctrl-C between two decks is heard. */
const yieldToSignals = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes deck folders atomically: each is staged in a temporary folder beside the output and
 * swapped in by rename, so a failure (or Ctrl-C) leaves the previous build as it was. The only
 * module that writes files. A DeckError from `beforeSwap` passes through as it is.
 */
export async function writeDecks(
  outDir: string,
  decks: DeckOutput[],
  options: {
    signal?: AbortSignal;
    beforeSwap?: (stagedFolder: (name: string) => string) => Promise<void>;
    fs?: OutputFs;
  } = {},
): Promise<void> {
  const { signal } = options;
  const fs = options.fs ?? realFs;
  checkAborted(signal);
  // Nothing that Lectern did not write is replaced: checked under the lock, before any work.
  const record = readOutputRecord(outDir);
  assertOwned(
    outDir,
    record,
    decks.map((d) => d.name),
    ['index.html'],
  );
  const stage = join(outDir, tmpName());
  const forget = onExit(() => rmSync(stage, { recursive: true, force: true }));
  try {
    mkdirSync(stage, { recursive: true });
    for (const deck of decks) {
      await yieldToSignals();
      checkAborted(signal);
      const dir = join(stage, 'new', deck.name);
      const written: Record<string, string> = {};
      for (const file of deck.files) {
        mkdirSync(dirname(join(dir, file.path)), { recursive: true });
        fs.writeFileSync(join(dir, file.path), file.content);
        written[file.path] = digestOf(file.content);
      }
      for (const copy of deck.copies) {
        mkdirSync(dirname(join(dir, copy.to)), { recursive: true });
        if (copy.content) {
          fs.writeFileSync(join(dir, copy.to), copy.content);
          written[copy.to] = digestOf(copy.content);
        } else if (copy.checked) written[copy.to] = copyChecked(copy, join(dir, copy.to));
        else {
          fs.copyFileSync(copy.from, join(dir, copy.to));
          written[copy.to] = digestOfFile(join(dir, copy.to))!;
        }
      }
      mkdirSync(dirname(join(dir, WRITTEN_RECORD)), { recursive: true });
      fs.writeFileSync(join(dir, WRITTEN_RECORD), `${JSON.stringify(written, null, 2)}\n`);
    }
    await yieldToSignals();
    checkAborted(signal);
    // Work that must succeed for the build to count (PDF export) runs on the staged folders.
    await options.beforeSwap?.((name) => join(stage, 'new', name));
    await yieldToSignals();
    checkAborted(signal);
    // From here on the swap runs to its end: a signal now is heard once it is done.
    mkdirSync(join(stage, 'old'), { recursive: true });
    for (const deck of decks) {
      const target = join(outDir, deck.name);
      const old = join(stage, 'old', deck.name);
      const hadOld = existsSync(target);
      if (hadOld) fs.renameSync(target, old);
      try {
        fs.renameSync(join(stage, 'new', deck.name), target);
      } catch (err) {
        if (hadOld) renameSync(old, target);
        throw err;
      }
    }
    // What was swapped in is Lectern's from now on. (Were this write lost, a deck folder is still
    // known as Lectern's by its deck.json and runtime files.)
    const updated = addToRecord(
      record,
      decks.map((d) => d.name),
      ['index.html'],
    );
    if (JSON.stringify(updated) !== JSON.stringify(record))
      writeFileAtomic(join(outDir, OUTPUT_RECORD), `${JSON.stringify(updated, null, 2)}\n`);
  } catch (err) {
    throw writeError(outDir, err);
  } finally {
    removeQuietly(stage);
    forget();
  }
}

/**
 * Copies a deck file from the very file that was checked (see openChecked), a chunk at a time;
 * returns the digest of what it wrote.
 */
function copyChecked(copy: FileCopy, dest: string): string {
  const from = openChecked(copy);
  let to: number | undefined;
  const hash = createHash('sha256');
  try {
    to = openSync(dest, 'w');
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(from, chunk); n > 0; n = readSync(from, chunk)) {
      writeSync(to, chunk, 0, n);
      hash.update(chunk.subarray(0, n));
    }
    return hash.digest('hex');
  } finally {
    closeSync(from);
    if (to !== undefined) closeSync(to);
  }
}

/**
 * Updates deck folders in place, for the preview server: every file is replaced atomically, and
 * copies whose source has not changed since the last write are skipped. Quicker than staging
 * whole folders; a page may briefly see a new index.html with the previous images.
 */
export function updateDecks(outDir: string, decks: DeckOutput[]): void {
  try {
    for (const deck of decks) {
      const dir = join(outDir, deck.name);
      for (const file of deck.files) writeFileAtomic(join(dir, file.path), file.content);
      for (const copy of deck.copies) {
        const dest = join(dir, copy.to);
        if (copy.content) {
          mkdirSync(dirname(dest), { recursive: true });
          if (digestOfFile(dest) !== digestOf(copy.content)) writeFileAtomic(dest, copy.content);
          continue;
        }
        const from = statSync(copy.from);
        const to = existsSync(dest) ? statSync(dest) : null;
        if (to && to.size === from.size && to.mtimeMs >= from.mtimeMs) continue;
        mkdirSync(dirname(dest), { recursive: true });
        if (copy.checked) {
          // Beside the file, then renamed over it: the page never sees half an image.
          const tmp = join(dirname(dest), tmpName());
          try {
            copyChecked(copy, tmp);
            renameSync(tmp, dest);
          } finally {
            removeQuietly(tmp);
          }
        } else copyFileSync(copy.from, dest);
      }
      // The record says what is there now, so a later build checks it as its own.
      const written: Record<string, string> = {};
      for (const file of deck.files) written[file.path] = digestOf(file.content);
      for (const copy of deck.copies) written[copy.to] = digestOfFile(join(dir, copy.to)) ?? '';
      noteWritten(dir, written);
    }
  } catch (err) {
    throw writeError(outDir, err);
  }
}

/**
 * Writes one file of Lectern's own beside the deck folders (a deck's single-file HTML), under the
 * output lock: refused when a file of that name is there that Lectern did not write, and
 * recorded as Lectern's once written.
 */
export function writeOwnedFile(outDir: string, name: string, content: string | Uint8Array): void {
  const record = readOutputRecord(outDir);
  assertOwned(outDir, record, [], [name]);
  writeFileAtomic(join(outDir, name), content);
  // Its digest goes with its deck's folder, so a damaged file is made again.
  const deckDir = join(outDir, name.replace(/\.html$/, ''));
  if (existsSync(join(deckDir, WRITTEN_RECORD))) noteWritten(deckDir, { [`../${name}`]: digestOf(content) });
  const updated = addToRecord(record, [], [name]);
  if (JSON.stringify(updated) !== JSON.stringify(record))
    writeFileAtomic(join(outDir, OUTPUT_RECORD), `${JSON.stringify(updated, null, 2)}\n`);
}

/** A failed write as the error Lectern reports (DeckErrors pass through as they are). */
function writeError(outDir: string, err: unknown): DeckError {
  if (err instanceof DeckError) return err;
  return new DeckError('OUTPUT_WRITE', `could not write to ${outDir}: ${(err as Error).message}`, {
    pos: { file: outDir },
    hint: 'check that the output folder is writable and the disk has space',
    cause: err,
  });
}

/** Writes one file by writing a temporary file beside it and renaming it into place. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const tmp = join(dirname(path), tmpName());
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    removeQuietly(tmp);
    throw new DeckError('OUTPUT_WRITE', `could not write ${path}: ${(err as Error).message}`, {
      pos: { file: path },
      hint: 'check that the output folder is writable and the disk has space',
      cause: err,
    });
  }
}

/** Cleanup must never mask the error that made it necessary. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Nothing was created there, or it is already gone.
  }
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw interrupted();
}

/**
 * Every deck folder records the digest of each file Lectern wrote into it (its pages, copies,
 * PDFs, thumbnail, slide pictures, PowerPoint file, and its single file beside it), so a later
 * build keeps a file only while it is byte for byte what was written: an empty PDF or a copy
 * damaged at the same size is made again.
 */
export const WRITTEN_RECORD = `${runtimeDir}/written.json`;

export function digestOf(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The digest of a file as it is on disk, or null when it is missing or no regular file. */
export function digestOfFile(path: string): string | null {
  let fd: number;
  try {
    fd = openRegular(path);
  } catch {
    return null;
  }
  try {
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    return hash.digest('hex');
  } finally {
    closeSync(fd);
  }
}

function readWritten(deckDir: string): Record<string, string> {
  try {
    const record = JSON.parse(readRegularText(join(deckDir, WRITTEN_RECORD))) as unknown;
    return record !== null && typeof record === 'object' && !Array.isArray(record)
      ? (record as Record<string, string>)
      : {};
  } catch {
    return {};
  }
}

/** Adds files just written to a deck folder's record; `replacing` drops the entries under a folder first. */
export function noteWritten(deckDir: string, entries: Record<string, string>, replacing?: string): void {
  const record = Object.fromEntries(
    Object.entries(readWritten(deckDir)).filter(([name]) => !replacing || !name.startsWith(replacing)),
  );
  writeFileAtomic(join(deckDir, WRITTEN_RECORD), `${JSON.stringify({ ...record, ...entries }, null, 2)}\n`);
}

/** Whether a file Lectern wrote into a deck folder (`../x.html` for its single file) is still what it wrote. */
export function intact(deckDir: string, name: string): boolean {
  const want = readWritten(deckDir)[name];
  return typeof want === 'string' && digestOfFile(join(deckDir, name)) === want;
}

/** Whether the record names files under `folder/` (slide pictures) and every one is intact. */
export function intactFolder(deckDir: string, folder: string): boolean {
  const names = Object.keys(readWritten(deckDir)).filter((n) => n.startsWith(`${folder}/`));
  return names.length > 0 && names.every((n) => intact(deckDir, n));
}

/** The digests recorded for some files of a deck folder (to carry them into a new build of it). */
export function writtenDigests(deckDir: string, names: string[]): Record<string, string> {
  const record = readWritten(deckDir);
  return Object.fromEntries(names.filter((n) => typeof record[n] === 'string').map((n) => [n, record[n]!]));
}

/**
 * The warnings a deck's exports gave (a request refused while printing, a heading level skipped in
 * the PDF's structure, a character without a font), kept by the output they came with (its name
 * as the written record has it; `slides` for the pictures), so a later build that keeps the
 * output says them again: an unchanged deck warns as it did, and `--strict` fails as it did.
 */
export const FINDINGS_RECORD = `${runtimeDir}/findings.json`;

/**
 * Keeps the warnings of outputs just made (or carried into a new build of the deck); returns the
 * record's entry for the written record, which the caller notes with the outputs themselves.
 */
export function keepFindings(deckDir: string, entries: Record<string, Finding[]>): Record<string, string> {
  const text = `${JSON.stringify({ ...readFindings(deckDir), ...entries }, null, 2)}\n`;
  writeFileAtomic(join(deckDir, FINDINGS_RECORD), text);
  return { [FINDINGS_RECORD]: digestOf(text) };
}

/**
 * The warnings kept for a deck's outputs: those named, or (with none named) every output still
 * intact. Nothing from a record that is not as Lectern wrote it.
 */
export function keptFindings(deckDir: string, names?: string[]): Record<string, Finding[]> {
  if (!intact(deckDir, FINDINGS_RECORD)) return {};
  const record = readFindings(deckDir);
  const wanted = names ?? Object.keys(record).filter((n) => intact(deckDir, n) || intactFolder(deckDir, n));
  return Object.fromEntries(wanted.filter((n) => record[n]).map((n) => [n, record[n]!]));
}

function readFindings(deckDir: string): Record<string, Finding[]> {
  let record: unknown;
  try {
    record = JSON.parse(readRegularText(join(deckDir, FINDINGS_RECORD)));
  } catch {
    return {};
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return {};
  const findings: Record<string, Finding[]> = {};
  for (const [name, list] of Object.entries(record)) if (Array.isArray(list)) findings[name] = list.filter(isFinding);
  return findings;
}

/** A finding as Lectern writes one: a code, a message and a position, all text (no control characters). */
function isFinding(value: unknown): value is Finding {
  const f = value as Finding;
  const text = (v: unknown): boolean => typeof v === 'string' && !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(v);
  return (
    f !== null &&
    typeof f === 'object' &&
    typeof f.code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(f.code) &&
    text(f.message) &&
    f.pos !== null &&
    typeof f.pos === 'object' &&
    text(f.pos.file) &&
    (f.pos.line === undefined || Number.isInteger(f.pos.line)) &&
    (f.pos.column === undefined || Number.isInteger(f.pos.column)) &&
    (f.hint === undefined || text(f.hint)) &&
    (f.rule === undefined || text(f.rule)) &&
    (f.severity === undefined || f.severity === 'warning' || f.severity === 'error')
  );
}

/**
 * Writes a file shared by runs that may work at once (the download cache): written aside, then
 * linked into place, so it appears whole and once; a file already there with the same bytes is
 * left as it is (another run wrote it), one with other bytes is replaced whole.
 */
export function writeFileOnce(path: string, content: Uint8Array): void {
  const tmp = join(dirname(path), tmpName());
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, content);
    try {
      linkSync(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (digestOfFile(path) !== digestOf(content)) renameSync(tmp, path);
    }
  } catch (err) {
    throw new DeckError('OUTPUT_WRITE', `could not write ${path}: ${(err as Error).message}`, {
      pos: { file: path },
      hint: 'check that the folder is writable and the disk has space',
      cause: err,
    });
  } finally {
    removeQuietly(tmp);
  }
}
