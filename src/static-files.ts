import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

/* Serving a folder's files over HTTP, for the deck server and the preview server alike. A leaf. */

/** Content types of the files a built deck holds, for the two servers that send them. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** The content type a file is served with, by its extension. */
export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path to a file inside the root, or a refusal: backslashes, NUL bytes, dot
 * segments (plain or encoded) are 403; anything that resolves outside the root, through a
 * symlink or into a sibling folder with the same prefix, is 404.
 */
export function resolveRequest(root: string, rawPath: string): { status: 200; path: string } | { status: 403 | 404 } {
  if (/\\|%5c|%00|\0/i.test(rawPath)) return { status: 403 };
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { status: 403 };
  }
  if (path.includes('\0') || path.includes('\\')) return { status: 403 };
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return { status: 403 };
  let candidate = join(root, ...segments);
  try {
    if (statSync(candidate).isDirectory()) candidate = join(candidate, 'index.html');
    const real = realpathSync(candidate);
    if (real !== root && !real.startsWith(root + sep)) return { status: 404 };
    if (!statSync(real).isFile()) return { status: 404 };
    return { status: 200, path: real };
  } catch {
    return { status: 404 };
  }
}
