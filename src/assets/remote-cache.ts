import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../output/write.js';

/**
 * Remote images a deck names, downloaded once into the project (`.lectern-cache/remote/`) so the
 * built deck is offline and rebuilds (and CI) never fetch again. Only image and media files are
 * kept, recognised by their bytes, never by what the server claims.
 */

export interface RemoteCache {
  dir: string;
  /** Downloads that failed in this run: not tried again until the next run. */
  failed: Map<string, string>;
}

export const cacheDirName = '.lectern-cache';
/** The largest remote file taken: a deck image, not a dataset. */
export const MAX_REMOTE_BYTES = 25 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export function remoteCache(projectDir: string): RemoteCache {
  return { dir: join(projectDir, cacheDirName, 'remote'), failed: new Map() };
}

function keyOf(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 32);
}

type Hit = { name: string; path: string; checked: { real: string; dev: number; ino: number } } | { failed: string };

/** The cached copy of a URL, its failure in this run, or undefined when it must be fetched. */
export function cachedRemote(cache: RemoteCache, url: string): Hit | undefined {
  const failed = cache.failed.get(url);
  if (failed !== undefined) return { failed };
  const index = join(cache.dir, `${keyOf(url)}.json`);
  if (!existsSync(index)) return undefined;
  try {
    const entry = JSON.parse(readFileSync(index, 'utf8')) as { url: string; name: string };
    const path = join(cache.dir, entry.name);
    if (entry.url !== url || !/^[0-9a-f]{32}\.[a-z0-9]+$/.test(entry.name) || !existsSync(path)) return undefined;
    const real = realpathSync(path);
    const stat = statSync(real);
    return { name: entry.name, path, checked: { real, dev: stat.dev, ino: stat.ino } };
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
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return 'svg';
  return null;
}

/** Fetches the URLs into the cache; a failure is remembered for this run and reported by the resolver. */
export async function downloadRemote(cache: RemoteCache, urls: string[], signal?: AbortSignal): Promise<void> {
  const queue = [...new Set(urls)].filter((u) => cachedRemote(cache, u) === undefined);
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      try {
        await fetchOne(cache, url, signal);
      } catch (err) {
        cache.failed.set(url, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
}

async function fetchOne(cache: RemoteCache, url: string, signal?: AbortSignal): Promise<void> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow', headers: { accept: 'image/*,video/*,audio/*;q=0.8' } }).catch((err: Error) => {
    throw new Error(timeout.aborted ? `no answer in ${TIMEOUT_MS / 1000} s` : ((err.cause as Error | undefined)?.message ?? err.message));
  });
  if (!/^https?:$/.test(new URL(response.url || url).protocol)) throw new Error('redirected away from http');
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_REMOTE_BYTES) throw new Error(`${Math.round(declared / 1024 / 1024)} MB is too large`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const part = reader ? await reader.read() : { done: true as const, value: undefined };
    if (part.done) break;
    size += part.value.length;
    if (size > MAX_REMOTE_BYTES) {
      await reader!.cancel();
      throw new Error(`more than ${MAX_REMOTE_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(part.value);
  }
  const bytes = Buffer.concat(chunks);
  const ext = sniffMedia(bytes);
  if (!ext) throw new Error('not an image or media file');
  const key = keyOf(url);
  mkdirSync(cache.dir, { recursive: true });
  writeFileAtomic(join(cache.dir, `${key}.${ext}`), bytes);
  writeFileAtomic(join(cache.dir, `${key}.json`), `${JSON.stringify({ url, name: `${key}.${ext}`, bytes: bytes.length, fetched: new Date().toISOString() })}\n`);
}
