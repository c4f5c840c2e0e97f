import type { HTTPRequest } from 'puppeteer-core';
import { DeckError } from '../errors.js';

/** What a page may load, and what it tried to load outside that. */
export interface Route {
  origin: string;
  allowRemote: boolean;
  blocked: string[];
}

/** Tracks what step a page is waiting on, so a timeout can say. */
export class Pending {
  step = 'opening the deck';
  constructor(readonly verb: 'printing' | 'checking' = 'printing') {}
}

/** Lets the deck's own origin (and, when allowed, http(s)) through; refuses and records the rest. */
export function routeRequest(request: HTTPRequest, { origin, allowRemote, blocked }: Route): void {
  if (request.isInterceptResolutionHandled()) return;
  const url = request.url();
  const own = url === origin || url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:');
  if (own || (allowRemote && /^https?:\/\//i.test(url))) {
    void request.continue();
    return;
  }
  if (!blocked.includes(url)) blocked.push(url);
  void request.abort('blockedbyclient');
}

/** A step of a deck's work, bounded by the deck's deadline and the run's interrupt. */
export async function withDeadline<T>(work: Promise<T>, options: { deadline: number; signal?: AbortSignal }, pending: Pending, deckFile: string): Promise<T> {
  const remaining = options.deadline - Date.now();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const fail = (): void =>
      reject(
        new DeckError('RENDER_TIMEOUT', `${pending.verb} timed out while waiting for ${pending.step}`, {
          pos: { file: deckFile },
          hint: 'raise --timeout, or check the deck for images or fonts that never finish loading',
        }),
      );
    if (remaining <= 0) fail();
    else timer = setTimeout(fail, remaining);
  });
  const aborted = new Promise<never>((_, reject) => {
    if (!options.signal) return;
    onAbort = () => reject(new DeckError('INTERRUPTED', 'interrupted; the previous output is unchanged'));
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
  }
}

/** Runs inside the page: resolves once every image and slide background has loaded or failed. */
export async function decodeImages(): Promise<void> {
  const sources = new Set<string>();
  for (const img of Array.from(document.images)) if (img.currentSrc || img.src) sources.add(img.currentSrc || img.src);
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.slide-background-content'))) {
    const match = /url\(["']?([^"')]+)["']?\)/.exec(getComputedStyle(el).backgroundImage);
    if (match) sources.add(match[1]!);
  }
  await Promise.all(
    Array.from(sources).map((src) => {
      const img = new Image();
      img.src = src;
      return img.decode().catch(() => undefined);
    }),
  );
}

