import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { isIP, type LookupFunction } from 'node:net';
import { join } from 'node:path';
import { cachedRemote, keyOf, MAX_REMOTE_BYTES, sniffMedia, type RemoteCache } from '../assets/remote-cache.js';
import { addressPolicy, type AddressPolicy } from '../config/address-policy.js';
import { writeFileAtomic, writeFileOnce } from './write.js';

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
  const policy = addressPolicy(cache.allowedHosts);
  const chunks: Buffer[] = [];
  let target = new URL(url);
  for (let hop = 0; ; hop++) {
    const response = await get(target, policy, signal);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      target = new URL(response.headers.location, target);
      if (!/^https?:$/.test(target.protocol)) throw new Error('redirected away from http');
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new Error(`HTTP ${status}`);
    }
    const declared = Number(response.headers['content-length'] ?? 0);
    if (declared > MAX_REMOTE_BYTES) {
      response.destroy();
      throw new Error(`${Math.round(declared / 1024 / 1024)} MB is too large`);
    }
    let size = 0;
    for await (const part of response as AsyncIterable<Buffer>) {
      size += part.length;
      budget.bytes -= part.length;
      if (size > MAX_REMOTE_BYTES || budget.bytes < 0) {
        response.destroy();
        throw new Error(
          size > MAX_REMOTE_BYTES
            ? `more than ${MAX_REMOTE_BYTES / 1024 / 1024} MB`
            : `the deck's downloads came to more than ${DECK_BYTES / 1024 / 1024} MB`,
        );
      }
      chunks.push(part);
    }
    break;
  }
  const bytes = Buffer.concat(chunks);
  const ext = sniffMedia(bytes);
  if (!ext) throw new Error('not an image or media file');
  const key = keyOf(url);
  mkdirSync(cache.dir, { recursive: true });
  writeFileOnce(join(cache.dir, `${key}.${ext}`), bytes);
  writeFileAtomic(
    join(cache.dir, `${key}.json`),
    `${JSON.stringify({ url, name: `${key}.${ext}`, bytes: bytes.length, fetched: new Date().toISOString() })}\n`,
  );
}

const MAX_REDIRECTS = 5;

/**
 * One GET, connected only where the address policy allows: an address written in the URL is
 * checked before connecting, a name on the address it resolves to, at connection time (so a
 * name that resolves differently later cannot slip through).
 */
async function get(url: URL, policy: AddressPolicy, signal: AbortSignal): Promise<IncomingMessage> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const why = policy.refuses(host, host);
    if (why) return Promise.reject(new Error(`${why}: allow it with \`remoteHosts:\` in lectern.config.yaml`));
  }
  const lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const why = addresses.map((a) => policy.refuses(hostname, a.address)).find((w) => w !== null);
      if (why) return callback(new Error(`${why}: allow it with \`remoteHosts:\` in lectern.config.yaml`), '', 0);
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  // Node's HTTP and TLS load with the first download: most builds have none.
  const client = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      { lookup, signal, headers: { accept: 'image/*,video/*,audio/*;q=0.8', 'user-agent': 'lectern' } },
      resolve,
    );
    request.on('error', reject);
  });
}
