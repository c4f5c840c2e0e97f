import type { HTTPRequest, Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './launch.js';
import { type DeckFiles, deckOrigin } from './deck-files.js';
import { openGatedPage } from './network-gate.js';
import { DeckError, interrupted, type Finding } from '../errors.js';
import { timed } from '../timings.js';

/** A browser tab, as the code that drives decks in it sees it. */
export type BrowserPage = Page;

/** What a page may load, and what it tried to load outside that. */
interface Route {
  /** The deck's made-up origin (`deckOrigin`), answered from `files`. */
  origin: string;
  files: DeckFiles;
  allowRemote: boolean;
  blocked: string[];
  /** Origins of decks this page showed before: their late requests are refused, not reported. */
  retired: string[];
  /** Rejected when the deck's page is left for another (a script set `location`): no signal will come. */
  left: Promise<never>;
  leave: (url: string) => void;
}

/** A `left` that rejects only when the page leaves the deck, and no unhandled rejection till then. */
function leaving(): Pick<Route, 'left' | 'leave'> {
  let leave!: (url: string) => void;
  const left = new Promise<never>((_, reject) => {
    leave = (url) => reject(new LeftPage(url));
  });
  left.catch(() => undefined);
  return { left, leave };
}

/** The deck's page was replaced by another: what the step that waited reports. */
class LeftPage extends Error {
  constructor(readonly url: string) {
    super(url);
  }
}

/**
 * Points a page's route at the next deck: its origin and its files. Requests still coming from
 * the last one are no finding of this deck.
 */
export function routeTo(route: Route, deckFile: string, files: DeckFiles, allowRemote: boolean): string {
  if (route.origin) route.retired.push(route.origin);
  const origin = deckOrigin(deckFile);
  Object.assign(route, { origin, files, allowRemote, blocked: [], ...leaving() });
  return origin;
}

/** A page that may load only the current deck's own files, and a bounded close. */
interface RoutedPage {
  page: Page;
  /** Set with `routeTo` before each deck; `blocked` collects what was refused. */
  route: Route;
  close: () => Promise<void>;
}

/**
 * Opens a page whose requests go through `routeRequest`, which answers the deck's own requests
 * from its files over the DevTools connection, in a browser context (a window) whose every
 * connection passes a network gate of its own, which catches what interception cannot see.
 * Pages working side by side need their own window anyway: headless Chromium pauses animation
 * frames, and so Reveal's layout, in a page that shares one with a busy page.
 * Popups the deck opens are closed at once and reported.
 */
export async function openRoutedPage(launched: LaunchedBrowser, allowRemote = false): Promise<RoutedPage> {
  const route: Route = { origin: '', files: () => null, allowRemote, blocked: [], retired: [], ...leaving() };
  const { page, close } = await openGatedPage(launched, route, allowRemote);
  await page.setRequestInterception(true);
  page.on('request', (request) => routeRequest(request, route));
  // A deck's script that sends the page elsewhere (`location = …`) ends what the page waits for.
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame() || !route.origin) return;
    const url = frame.url();
    if (url !== 'about:blank' && !url.startsWith(`${route.origin}/index.html`)) route.leave(url);
  });
  page.on('console', (message) => {
    // Chromium refuses file: URLs from an http page itself, before any request is made.
    const local = /Not allowed to load local resource: (\S+)/.exec(message.text());
    if (local && !route.blocked.includes(local[1]!)) route.blocked.push(local[1]!);
  });
  // WebRTC's UDP passes no proxy. A browser Lectern launched is kept from sending it by its
  // profile; in one it connected to, and in the headless shell (which reads no such policy),
  // the API is taken away before any deck script runs, in every frame.
  if (launched.guardPages) {
    await page.evaluateOnNewDocument(() => {
      for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel', 'RTCIceTransport']) {
        try {
          Object.defineProperty(window, name, { value: undefined, writable: false, configurable: false });
        } catch {
          // Not there in this browser.
        }
      }
    });
  }
  // Reveal's print layout says when it is done with a `pdf-ready` event: catch it from the start.
  await page.evaluateOnNewDocument(() => {
    const w = window as unknown as { __lecternPrinted: Promise<void> };
    w.__lecternPrinted = new Promise((resolve) =>
      window.addEventListener('pdf-ready', () => resolve(), { once: true }),
    );
  });
  return {
    page,
    route,
    close,
  };
}

/** Runs a deck's steps one by one, each bounded by the deck's deadline and named for a timeout. */
export function deckSteps(
  options: { deadline: number; signal?: AbortSignal },
  deckFile: string,
  verb: Pending['verb'],
  route?: Pick<Route, 'left'>,
): <T>(name: string, work: Promise<T>) => Promise<T> {
  const pending = new Pending(verb);
  return (name, work) => {
    pending.step = name;
    if (route)
      work = Promise.race([work, route.left.catch((err) => Promise.reject(leftError(err, pending, deckFile)))]);
    // Timed as one phase for every page (`the picture of page N`).
    return withDeadline(timed(name.replace(/\d+/g, 'N'), work), options, pending, deckFile);
  };
}

/** The deck's page left for another while a step waited: the failure that says so. */
function leftError(err: unknown, pending: Pending, deckFile: string): unknown {
  if (!(err instanceof LeftPage)) return err;
  return new DeckError(
    pending.verb === 'printing' ? 'PDF_FAILED' : 'CHECK_FAILED',
    `${pending.verb} stopped while waiting for ${pending.step}: the deck's page went to ${err.url}`,
    {
      pos: { file: deckFile },
      hint: 'a script in the deck changes `location` (or submits a form); take it out, or guard it so it does not run in print',
    },
  );
}

/** Tracks what step a page is waiting on, so a timeout can say. */
class Pending {
  step = 'opening the deck';
  constructor(readonly verb: 'printing' | 'checking' = 'printing') {}
}

/** The requests a page refused, as the warnings of the deck that made them. */
export function blockedRequests(blocked: string[], deckFile: string): Finding[] {
  return blocked.map((url) => ({
    code: 'REQUEST_BLOCKED',
    message: `blocked a request to ${url}`,
    pos: { file: deckFile },
    hint: 'a built deck may only load its own files; --allow-remote lets http(s) through',
  }));
}

/**
 * Answers the deck's own origin from its files (404 for anything else there), lets `data:`,
 * `blob:` and, when allowed, http(s) through; refuses and records the rest.
 */
function routeRequest(request: HTTPRequest, { origin, files, allowRemote, blocked, retired }: Route): void {
  if (request.isInterceptResolutionHandled()) return;
  const url = request.url();
  if (retired.some((old) => url.startsWith(`${old}/`))) {
    void request.abort('aborted');
    return;
  }
  if (origin && (url === origin || url.startsWith(`${origin}/`))) {
    const found = request.method() === 'GET' || request.method() === 'HEAD' ? files(new URL(url).pathname) : null;
    void request.respond(
      found
        ? { status: 200, contentType: found.type, headers: { 'cache-control': 'no-store' }, body: found.body }
        : { status: 404, contentType: 'text/plain', body: 'Not found' },
    );
    return;
  }
  if (url.startsWith('data:') || url.startsWith('blob:') || (allowRemote && /^https?:\/\//i.test(url))) {
    void request.continue();
    return;
  }
  if (!blocked.includes(url)) blocked.push(url);
  void request.abort('blockedbyclient');
}

/** A step of a deck's work, bounded by the deck's deadline and the run's interrupt. */
async function withDeadline<T>(
  work: Promise<T>,
  options: { deadline: number; signal?: AbortSignal },
  pending: Pending,
  deckFile: string,
): Promise<T> {
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
    onAbort = () => reject(interrupted());
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

/** Runs inside the page: resolves once Reveal's print layout is done (`pdf-ready`). */
export function printLayoutReady(): Promise<void> {
  return (window as unknown as { __lecternPrinted: Promise<void> }).__lecternPrinted;
}
