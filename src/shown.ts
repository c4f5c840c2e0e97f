import { isAbsolute, relative, sep } from 'node:path';

/* How Lectern shows paths and sizes in its messages. A leaf: it imports nothing from src/. */

/**
 * A path relative to `base` with `/` when it is inside it (as editors and terminals link
 * them), as given otherwise.
 */
export function shownPath(path: string, base: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(base, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel.split(sep).join('/');
}

/** A size: kB, or MB with one decimal. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} kB`;
}
