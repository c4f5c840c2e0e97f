import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { openChecked } from '../assets/verify-copies.js';
import type { DeckOutput } from '../output/write.js';
import { contentTypeOf, resolveRequest } from '../static-files.js';
import { readOpenFile, readRegularFile } from '../read-file.js';

/** One file of a deck, as the page is answered with it. */
export interface DeckFile {
  body: Buffer;
  type: string;
}

/**
 * A deck's files by the path the page asks for (a URL path, still percent-encoded), or null for
 * anything that is not one of them. The page is answered from these over the browser's own
 * connection (DevTools request interception): no server, no port, and so the same for a
 * browser on this machine and one on another.
 */
export type DeckFiles = (urlPath: string) => DeckFile | null;

/**
 * The origin a deck is shown at: made up, never resolved, the same for the same deck on every
 * run and every machine (so its PDF is too). A `localhost` name keeps the page a secure context,
 * as a page from 127.0.0.1 was.
 */
export function deckOrigin(deckFile: string): string {
  return `http://d${createHash('sha256').update(deckFile).digest('hex').slice(0, 16)}.lectern.localhost`;
}

/** A built deck folder: its files and nothing else (no listing, nothing outside, links included). */
export function folderFiles(folder: string): DeckFiles {
  const root = realpathSync(folder);
  return (urlPath) => {
    const found = resolveRequest(root, urlPath);
    if (found.status !== 200) return null;
    try {
      return { body: readRegularFile(found.path), type: contentTypeOf(found.path) };
    } catch {
      return null;
    }
  };
}

/**
 * A deck built but not written: its rendered files from memory and the files it copies from
 * where they are, each read as the file that was checked or not at all.
 */
export function outputFiles(output: DeckOutput): DeckFiles {
  const texts = new Map(output.files.map((f) => [`/${f.path}`, f.content]));
  const copies = new Map(output.copies.map((c) => [`/${c.to}`, c]));
  return (urlPath) => {
    let path: string;
    try {
      path = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (path.endsWith('/')) path += 'index.html';
    const text = texts.get(path);
    if (text !== undefined) return { body: Buffer.from(text), type: contentTypeOf(path) };
    const copy = copies.get(path);
    if (!copy) return null;
    try {
      return {
        body: copy.content ?? (copy.checked ? readOpenFile(openChecked(copy))! : readRegularFile(copy.from)),
        type: contentTypeOf(path),
      };
    } catch {
      return null;
    }
  };
}
