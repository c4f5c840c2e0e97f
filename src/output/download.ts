import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cachedRemote, keyOf, MAX_REMOTE_BYTES, sniffMedia, type RemoteCache } from '../assets/remote-cache.js';
import { writeFileAtomic } from './write.js';

/**
 * Downloads the remote files decks name into the project's cache. Only image and media files are
 * kept, recognised by their bytes, never by what the server claims; every download is bounded in
 * time and size, per file, per deck and per run.
 */

const TIMEOUT_MS = 10_000;
/** All the downloads of one deck: a deck of slow links must not stall the build for minutes. */
const DECK_BUDGET_MS = 45_000;
const DECK_BYTES = 100 * 1024 * 1024;
/** All the downloads of one run, however many decks ask. */
const RUN_BUDGET_MS = 90_000;

/** Fetches the URLs into the cache; a failure is remembered for this run and reported by the resolver. */
export async function downloadRemote(cache: RemoteCache, urls: string[], signal?: AbortSignal): Promise<void> {
  const queue = [...new Set(urls)].filter((u) => cachedRemote(cache, u) === undefined);
  if (!cache.fetch) {
    for (const url of queue)
      cache.failed.set(url, 'not fetched by a run that writes nothing: `lectern build` downloads it');
    return;
  }
  cache.runDeadline ??= AbortSignal.timeout(RUN_BUDGET_MS);
  const run = cache.runDeadline;
  const deadline = AbortSignal.any([AbortSignal.timeout(DECK_BUDGET_MS), run]);
  const budget = { bytes: DECK_BYTES };
  const worker = async () => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      if (deadline.aborted) {
        cache.failed.set(
          url,
          run.aborted
            ? `the run's downloads took more than ${RUN_BUDGET_MS / 1000} s`
            : `the deck's downloads took more than ${DECK_BUDGET_MS / 1000} s`,
        );
        continue;
      }
      try {
        await fetchOne(cache, url, budget, signal ? AbortSignal.any([signal, deadline]) : deadline);
      } catch (err) {
        cache.failed.set(url, (err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, queue.length) }, worker));
}

async function fetchOne(
  cache: RemoteCache,
  url: string,
  budget: { bytes: number },
  signal: AbortSignal,
): Promise<void> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  try {
    await fetchInto(cache, url, budget, AbortSignal.any([signal, timeout]));
  } catch (err) {
    if (timeout.aborted) throw new Error(`no answer in ${TIMEOUT_MS / 1000} s`);
    if (signal.aborted) throw new Error(`the deck's downloads took more than ${DECK_BUDGET_MS / 1000} s`);
    throw new Error(((err as Error).cause as Error | undefined)?.message ?? (err as Error).message);
  }
}

async function fetchInto(
  cache: RemoteCache,
  url: string,
  budget: { bytes: number },
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(url, {
    signal,
    redirect: 'follow',
    headers: { accept: 'image/*,video/*,audio/*;q=0.8' },
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
    budget.bytes -= part.value.length;
    if (size > MAX_REMOTE_BYTES || budget.bytes < 0) {
      await reader!.cancel();
      throw new Error(
        size > MAX_REMOTE_BYTES
          ? `more than ${MAX_REMOTE_BYTES / 1024 / 1024} MB`
          : `the deck's downloads came to more than ${DECK_BYTES / 1024 / 1024} MB`,
      );
    }
    chunks.push(part.value);
  }
  const bytes = Buffer.concat(chunks);
  const ext = sniffMedia(bytes);
  if (!ext) throw new Error('not an image or media file');
  const key = keyOf(url);
  mkdirSync(cache.dir, { recursive: true });
  writeFileAtomic(join(cache.dir, `${key}.${ext}`), bytes);
  writeFileAtomic(
    join(cache.dir, `${key}.json`),
    `${JSON.stringify({ url, name: `${key}.${ext}`, bytes: bytes.length, fetched: new Date().toISOString() })}\n`,
  );
}
