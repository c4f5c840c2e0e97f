import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { DeckError } from './errors.js';

/**
 * Reads a file Lectern was told of, or found, only when it is a regular file: a named pipe, a
 * socket or a device is refused at its path before anything waits on it. The file is opened
 * without blocking and looked at through the open descriptor, so nothing swapped in after a
 * check can stall the run either.
 */
/** The file's bytes; `shown` is the path an error names (the project-relative one, say). */
export function readRegularFile(path: string, shown = path): Buffer {
  const fd = openRegular(path, 0, shown);
  try {
    const size = fstatSync(fd).size;
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end, however the size changed since: a file that grows is read as it is.
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, size - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text. */
export function readRegularText(path: string, shown = path): string {
  return readRegularFile(path, shown).toString('utf8');
}

/** Opens a file for reading if it is a regular file (links followed); the caller closes it. */
export function openRegular(path: string, flags = 0, _shown = path): number {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | flags);
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw notRegular(
      path,
      stat.isFIFO() ? 'a named pipe' : stat.isSocket() ? 'a socket' : stat.isDirectory() ? 'a folder' : 'a device',
    );
  }
  return fd;
}

/**
 * Reads an open file whole, at the size it has now (what grows meanwhile is not read), and
 * closes it; null, unread, when it is larger than `limit` bytes.
 */
export function readOpenFile(fd: number, limit = Number.POSITIVE_INFINITY): Buffer | null {
  try {
    const size = fstatSync(fd).size;
    if (size > limit) return null;
    const body = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, body, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return body.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

function notRegular(path: string, what: string): DeckError {
  return new DeckError('FILE_NOT_REGULAR', `this is ${what}, not a file: it is not read`, {
    pos: { file: path },
    hint: 'replace it with a regular file, or remove it',
  });
}
