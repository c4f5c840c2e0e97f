import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DeckError } from '../errors.js';

/** Where the browser for a run comes from: a running one to connect to, or an executable to launch. */
export type BrowserSource = { ws: string } | { path: string };

/** How a run finds and starts its browser; shared by printing, checking and every other export. */
export interface BrowserOptions {
  browserPath?: string;
  /** Connect to a running browser instead of launching one. */
  browserWs?: string;
  /** Decks worked on at once (pages open at once); default: the number of CPUs. */
  concurrency?: number;
  /** Per-deck time limit in milliseconds; default 60 s. */
  timeoutMs?: number;
  /** Let a deck's http(s) requests through (they are refused and reported otherwise). */
  allowRemote?: boolean;
}

interface BrowserLocations {
  linux: string[];
  darwin: string[];
  /** Relative to Program Files, Program Files (x86) and LocalAppData. */
  win32: string[];
}

/** Shared with `npm run setup`, which runs before anything is compiled. */
const locationsFile = new URL('../../scripts/browser-locations.json', import.meta.url);

/** Where a browser is looked for, in order, after an explicit path and the environment. */
export function browserCandidates(platform: NodeJS.Platform = process.platform): string[] {
  const locations = JSON.parse(readFileSync(locationsFile, 'utf8')) as BrowserLocations;
  if (platform === 'win32') {
    const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter(
      Boolean,
    ) as string[];
    return roots.flatMap((root) => locations.win32.map((path) => join(root, path)));
  }
  const list = platform === 'darwin' ? locations.darwin : locations.linux;
  return list.map((path) => (path.startsWith('~/') ? join(homedir(), path.slice(2)) : path));
}

/** Puppeteer's names for the platforms a browser in its cache was built for, preferred first. */
const cachePlatforms: Record<string, string[]> = {
  linux: ['linux', 'linux_arm'],
  darwin: ['mac_arm', 'mac'],
  win32: ['win64', 'win32'],
};

/**
 * Browsers Puppeteer itself once downloaded (never downloaded by Lectern), as its cache lists
 * them: the headless shell before Chrome, this machine's platform first, newest build first.
 * `@puppeteer/browsers` loads only when the usual places had no browser.
 */
export function puppeteerCacheCandidates(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string[] {
  const { Browser, Cache, getVersionComparator } = createRequire(import.meta.url)(
    '@puppeteer/browsers',
  ) as typeof import('@puppeteer/browsers');
  const cache = new Cache(env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer'));
  const platforms = cachePlatforms[platform] ?? cachePlatforms.linux!;
  const kinds: string[] = [Browser.CHROMEHEADLESSSHELL, Browser.CHROME];
  let installed: ReturnType<typeof cache.getInstalledBrowsers>;
  try {
    installed = cache.getInstalledBrowsers();
  } catch {
    return [];
  }
  const found: { kind: number; platform: number; build: string; browser: string; path: string }[] = [];
  for (const b of installed) {
    if (!kinds.includes(b.browser) || !platforms.includes(b.platform)) continue;
    let path: string;
    try {
      path = b.executablePath;
    } catch {
      // An entry Puppeteer cannot describe (its metadata unreadable) is skipped, not fatal.
      continue;
    }
    found.push({
      kind: kinds.indexOf(b.browser),
      platform: platforms.indexOf(b.platform),
      build: b.buildId,
      browser: b.browser,
      path,
    });
  }
  return found
    .sort(
      (a, b) =>
        a.kind - b.kind || a.platform - b.platform || getVersionComparator(a.browser as never)(b.build, a.build),
    )
    .map((b) => b.path);
}

/** A browser found, and why this one: what `lectern doctor` says. */
export interface FoundBrowser {
  path: string;
  why: string;
}

/**
 * Finds a Chrome-family browser: the explicit path, then CHROME_PATH, then
 * PUPPETEER_EXECUTABLE_PATH, then the usual install locations, then Puppeteer's browser
 * cache. Nothing is ever downloaded. Of the usual places the headless shell comes first (it
 * starts four times faster and prints about twice as fast; it reads no WebRTC policy, so its
 * pages lose the API, see `guardPages`), and a distribution's real binary before its start-up
 * script (Debian's /usr/bin/chromium is a script that costs 0.3 s a launch).
 */
export function locateBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): FoundBrowser {
  if (explicit !== undefined) {
    if (existsSync(explicit)) return { path: explicit, why: '--browser-path' };
    throw new DeckError('BROWSER_NOT_FOUND', `--browser-path ${explicit} does not exist`, {
      hint: 'give the path of a Chrome, Chromium or Edge executable',
    });
  }
  const tried: string[] = [];
  const sources: [string, string | undefined][] = [
    ['CHROME_PATH', env.CHROME_PATH],
    ['PUPPETEER_EXECUTABLE_PATH', env.PUPPETEER_EXECUTABLE_PATH],
  ];
  for (const [label, path] of sources) {
    if (!path) continue;
    if (existsSync(path)) return { path, why: label };
    tried.push(`${label}=${path} (missing)`);
  }
  // A variable naming a browser that is not there is said, not passed over in silence.
  const missing = tried.length ? `; ${tried.join(', ')}` : '';
  for (const path of browserCandidates()) {
    if (existsSync(path))
      return {
        path,
        why: `${
          isHeadlessShell(path)
            ? 'the headless shell, preferred where it is installed: it starts and prints faster'
            : 'the first of the usual places that exists (no headless shell installed)'
        }${missing}`,
      };
    tried.push(path);
  }
  for (const path of puppeteerCacheCandidates(env)) {
    if (existsSync(path)) return { path, why: `Puppeteer's browser cache${missing}` };
    tried.push(path);
  }
  tried.push(`${env.PUPPETEER_CACHE_DIR ?? '~/.cache/puppeteer'} (Puppeteer's cache)`);
  throw new DeckError('BROWSER_NOT_FOUND', 'no Chrome, Chromium or Edge found', {
    hint: `looked at: ${tried.join(', ')}. Install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome), set CHROME_PATH, pass --browser-path, or use --no-pdf for HTML only (lectern check --no-browser: the content checks only)`,
  });
}

/** Chrome's headless shell (`chrome-headless-shell`, Debian's `chromium-headless-shell`): no windowed browser inside. */
export function isHeadlessShell(path: string): boolean {
  return /headless[-_]shell(\.exe)?$/i.test(path);
}

/** The path of the browser `locateBrowser` finds. */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return locateBrowser(explicit, env).path;
}

/** Settles where the run's browser comes from, before anything is read or written. */
export function resolveBrowser(options: { browserPath?: string; browserWs?: string }): BrowserSource {
  return options.browserWs ? { ws: options.browserWs } : { path: findBrowser(options.browserPath) };
}
