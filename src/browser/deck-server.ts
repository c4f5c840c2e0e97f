import { closeSync, createReadStream, realpathSync } from 'node:fs';
import { openChecked } from '../assets/verify-copies.js';
import { pipeline } from 'node:stream';
import { createServer } from 'node:http';
import { contentTypeOf, resolveRequest } from '../static-files.js';
import { listenOnLoopback } from './loopback.js';
import type { DeckOutput } from '../output/write.js';

interface DeckServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close: () => Promise<void>;
}

/** What a URL path of the deck is: text built in memory, a file on disk, or nothing. */
type Lookup = (urlPath: string, rawPath: string) => { text: string } | { file: string } | { fd: number } | null;

/**
 * Serves one built deck folder on 127.0.0.1 and nothing else: no listing, no path outside the
 * folder (symlinks included), GET and HEAD only.
 */
export async function serveDeckFolder(folder: string): Promise<DeckServer> {
  const root = realpathSync(folder);
  return serveDeck((_path, rawPath) => {
    const found = resolveRequest(root, rawPath);
    return found.status === 200 ? { file: found.path } : null;
  });
}

/**
 * Serves a deck that is built but not written: its rendered files from memory and the files it
 * copies from where they are. Nothing outside the deck's own list is reachable.
 */
export async function serveDeckOutput(output: DeckOutput): Promise<DeckServer> {
  const texts = new Map(output.files.map((f) => [`/${f.path}`, f.content]));
  const copies = new Map(output.copies.map((c) => [`/${c.to}`, c]));
  return serveDeck((path) => {
    const text = texts.get(path);
    if (text !== undefined) return { text };
    const copy = copies.get(path);
    if (!copy) return null;
    // A deck's own file is read as the file that was checked, or not at all.
    if (!copy.checked) return { file: copy.from };
    try {
      return { fd: openChecked(copy) };
    } catch {
      return null;
    }
  });
}

async function serveDeck(lookup: Lookup): Promise<DeckServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const rawPath = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const found = lookup(path.endsWith('/') ? `${path}index.html` : path, rawPath);
    if (!found) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': contentTypeOf('file' in found ? found.file : path.endsWith('/') ? 'index.html' : path),
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') {
      if ('fd' in found) closeSync(found.fd);
      res.end();
    } else if ('text' in found) res.end(found.text);
    else
      pipeline(
        'fd' in found ? createReadStream('', { fd: found.fd }) : createReadStream(found.file),
        res,
        () => undefined,
      );
  });
  return listenOnLoopback(server);
}
