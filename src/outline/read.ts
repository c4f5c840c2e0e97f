import { DeckError } from '../errors.js';
import { cleanText } from '../text.js';
import { readRegularFile } from '../read-file.js';

/** The largest deck file read: far beyond any talk, small enough that its model fits in memory. */
const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

/**
 * Turns the bytes of a deck file into text: refuses invalid UTF-8 (naming the line), drops a
 * byte-order mark and folds CRLF and lone CR line ends into LF, so line numbers stay the
 * editor's.
 */
export function decodeSource(bytes: Uint8Array, file: string): string {
  if (bytes.length > MAX_SOURCE_BYTES) {
    throw new DeckError(
      'SOURCE_TOO_LARGE',
      `the file is ${(bytes.length / 1024 / 1024).toFixed(1)} MB; a deck may be ${MAX_SOURCE_BYTES / 1024 / 1024} MB at most`,
      {
        pos: { file, line: 1, column: 1 },
        hint: 'split it into several decks, or move large data out of the Markdown',
      },
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DeckError('SOURCE_ENCODING', 'the file is UTF-16, not UTF-8', {
      pos: { file, line: 1, column: 1 },
      hint: 'save the file as UTF-8 in your editor',
    });
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const before = bytes.subarray(0, nul);
    const line = before.filter((b) => b === 0x0a).length + 1;
    throw new DeckError('SOURCE_BINARY', 'the file holds a NUL byte: it is not a text file', {
      pos: { file, line, column: nul - before.lastIndexOf(0x0a) },
      hint: 'a deck is a Markdown text file; check that this is the file you meant',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    const before = lossy.slice(0, Math.max(bad, 0));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new DeckError('SOURCE_ENCODING', 'the file is not valid UTF-8', {
      pos: { file, line, column },
      hint: 'save the file as UTF-8 in your editor',
    });
  }
  return cleanText(text);
}

/** Reads a deck file from disk; `display` is the path errors show (relative to the project). */
export function readDeckFile(path: string, display: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readRegularFile(path, display);
  } catch (err) {
    if (err instanceof DeckError) throw err;
    throw new DeckError(
      'SOURCE_READ',
      `cannot read the deck: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        pos: { file: display },
        hint: 'check the path and the file permissions',
        cause: err,
      },
    );
  }
  return decodeSource(bytes, display);
}
