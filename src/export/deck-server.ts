import { createReadStream, realpathSync, statSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { contentTypes } from '../content-types.js';

export interface DeckServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close: () => Promise<void>;
}

/**
 * Serves one built deck folder on 127.0.0.1 and nothing else: no listing, no path outside the
 * folder (symlinks included), GET and HEAD only.
 */
export async function serveDeckFolder(folder: string): Promise<DeckServer> {
  const root = realpathSync(folder);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = resolveInside(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else pipeline(createReadStream(file), res, () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function resolveInside(root: string, urlPath: string): string | null {
  const candidate = normalize(join(root, urlPath));
  if (!candidate.startsWith(root + sep)) return null;
  try {
    const real = realpathSync(candidate);
    if (!real.startsWith(root + sep) || !statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}
