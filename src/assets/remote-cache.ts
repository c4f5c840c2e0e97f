import { createHash } from 'node:crypto';
import { constants, existsSync, lstatSync, realpathSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { openRegular, readOpenFile, readRegularText } from '../read-file.js';

/**
 * Remote images a deck names, downloaded once into the project (`.lectern-cache/remote/`, by
 * src/output/download.ts) so the built deck is offline and rebuilds (and CI) never fetch again.
 * This side only reads the cache: a cached file counts only while it is a plain file in the cache
 * whose bytes are still media.
 */

export interface RemoteCache {
  dir: string;
  /** Why the cache cannot be used (its folder is a link, say), or null. */
  unusable: string | null;
  /** Downloads that failed in this run: not tried again until the next run. */
  failed: Map<string, string>;
  /** False for runs that write nothing (`lectern check`): what is not cached is not fetched. */
  fetch: boolean;
  /** The whole run's time for downloads, started by the first one. */
  runDeadline?: AbortSignal;
  /** The project's `remoteHosts:`: where downloads may go beyond public addresses. */
  allowedHosts: readonly string[];
}

const cacheDirName = '.lectern-cache';
/** The largest remote file taken: a deck image, not a dataset. */
export const MAX_REMOTE_BYTES = 25 * 1024 * 1024;

export function remoteCache(projectDir: string, fetch = true, allowedHosts: readonly string[] = []): RemoteCache {
  const dir = join(projectDir, cacheDirName, 'remote');
  // The cache is the project's own folder: a link would let a deck read, or the build write,
  // somewhere else.
  let unusable: string | null = null;
  for (const path of [join(projectDir, cacheDirName), dir]) {
    if (!existsSync(path) && !isLink(path)) continue;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink() || !stat.isDirectory())
      unusable = `${cacheDirName} must be a folder of the project, not a link`;
  }
  return { dir, unusable, failed: new Map(), fetch, allowedHosts };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The cache's file name (without extension) for a URL. */
export function keyOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

type Hit =
  | { name: string; path: string; checked: { real: string; dev: number; ino: number }; bytes: Buffer }
  | { failed: string };

/** The cached copy of a URL, its failure in this run, or undefined when it must be fetched. */
export function cachedRemote(cache: RemoteCache, url: string): Hit | undefined {
  const failed = cache.failed.get(url);
  if (failed !== undefined) return { failed };
  if (cache.unusable) return { failed: cache.unusable };
  const index = join(cache.dir, `${keyOf(url)}.json`);
  if (!existsSync(index)) return undefined;
  try {
    const entry = JSON.parse(readRegularText(index)) as { url: string; name: string };
    const path = join(cache.dir, entry.name);
    if (entry.url !== url || !/^[0-9a-f]{32}\.[a-z0-9]+$/.test(entry.name) || !existsSync(path)) return undefined;
    // A cached file is trusted no more than a downloaded one: a plain file inside the cache
    // whose bytes are still the kind of file its name says.
    const stat = lstatSync(path);
    const real = realpathSync(path);
    if (!stat.isFile() || dirname(real) !== realpathSync(cache.dir)) return undefined;
    // Read whole, once: what is checked here is what the deck publishes.
    const bytes = readOpenFile(openRegular(real, constants.O_NOFOLLOW ?? 0), MAX_REMOTE_BYTES);
    if (!bytes) return undefined;
    if (sniffMedia(bytes) !== extname(entry.name).slice(1)) return undefined;
    return { name: entry.name, path, checked: { real, dev: stat.dev, ino: stat.ino }, bytes };
  } catch {
    return undefined;
  }
}

/** The kind of file from its first bytes, as an extension; null for anything else. */
export function sniffMedia(bytes: Uint8Array): string | null {
  const at = (i: number, ...values: number[]) => values.every((v, k) => bytes[i + k] === v);
  const ascii = (i: number, text: string) => [...text].every((c, k) => bytes[i + k] === c.charCodeAt(0));
  if (at(0, 0x89, 0x50, 0x4e, 0x47)) return 'png';
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (ascii(0, 'GIF8')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, 'RIFF') && ascii(8, 'WAVE')) return 'wav';
  if (ascii(0, 'fLaC')) return 'flac';
  if (ascii(0, 'WEBVTT')) return 'vtt';
  if (ascii(4, 'ftyp')) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (/^avi[fs]$/.test(brand)) return 'avif';
    return 'mp4';
  }
  if (at(0, 0x1a, 0x45, 0xdf, 0xa3)) return 'webm';
  if (ascii(0, 'OggS')) return 'ogg';
  if (ascii(0, 'ID3') || at(0, 0xff, 0xfb)) return 'mp3';
  if (ascii(0, 'BM')) return 'bmp';
  if (at(0, 0, 0, 1, 0)) return 'ico';
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'svg';
  return null;
}
