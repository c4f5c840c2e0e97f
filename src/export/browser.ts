import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { DeckError } from '../errors.js';
import { onExit, processAlive } from '../processes.js';

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
    const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter(Boolean) as string[];
    return roots.flatMap((root) => locations.win32.map((path) => join(root, path)));
  }
  const list = platform === 'darwin' ? locations.darwin : locations.linux;
  return list.map((path) => (path.startsWith('~/') ? join(homedir(), path.slice(2)) : path));
}

/** Browsers Puppeteer itself once downloaded (never downloaded by Lectern), newest first. */
export function puppeteerCacheCandidates(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const cache = env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer');
  const layouts: Record<string, [string, string][]> = {
    linux: [['chrome', 'chrome-linux64/chrome'], ['chrome-headless-shell', 'chrome-headless-shell-linux64/chrome-headless-shell']],
    darwin: [
      ['chrome', 'chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'],
      ['chrome', 'chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing'],
    ],
    win32: [['chrome', 'chrome-win64/chrome.exe']],
  };
  const out: string[] = [];
  for (const [product, inner] of layouts[platform] ?? layouts.linux!) {
    const root = join(cache, product);
    if (!existsSync(root)) continue;
    const versions = readdirSync(root).sort().reverse();
    for (const version of versions) out.push(join(root, version, inner));
  }
  return out;
}

/**
 * Finds a Chrome-family browser: the explicit path, then CHROME_PATH, then
 * PUPPETEER_EXECUTABLE_PATH, then the usual install locations, then Puppeteer's browser
 * cache. Nothing is ever downloaded.
 */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) {
    if (existsSync(explicit)) return explicit;
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
    if (existsSync(path)) return path;
    tried.push(`${label}=${path} (missing)`);
  }
  for (const path of [...browserCandidates(), ...puppeteerCacheCandidates(env)]) {
    if (existsSync(path)) return path;
    tried.push(path);
  }
  tried.push(`${env.PUPPETEER_CACHE_DIR ?? '~/.cache/puppeteer'} (Puppeteer's cache)`);
  throw new DeckError('BROWSER_NOT_FOUND', 'no Chrome, Chromium or Edge found', {
    hint: `looked at: ${tried.join(', ')}. Install one (Debian/Ubuntu: apt-get install chromium; macOS: Google Chrome), set CHROME_PATH, pass --browser-path, or use --no-pdf for HTML only (lectern check --no-browser: the content checks only)`,
  });
}

/** Where the browser for a run will come from, settled before anything is written. */
export type BrowserSource = { ws: string } | { path: string };

export function resolveBrowser(options: { browserPath?: string; browserWs?: string }): BrowserSource {
  return options.browserWs ? { ws: options.browserWs } : { path: findBrowser(options.browserPath) };
}

/** Launches or connects, as the source says. */
export function openBrowser(source: BrowserSource, protocolTimeout?: number): Promise<LaunchedBrowser> {
  return 'ws' in source ? connectBrowser(source.ws, protocolTimeout) : launchBrowser(source.path, protocolTimeout);
}

/** Flags that keep a headless browser quiet, local and quick on closed or shared machines. */
export const browserArgs = [
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
  // The browser itself resolves no host name: every page's connections go through its gate on
  // 127.0.0.1, which alone decides what may be reached, so no DNS query leaves either.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--dns-prefetch-disable',
  // Chromium's own services would otherwise ask for connections from a deck's context (forms
  // bring autofill), reported as if the deck had asked.
  '--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter',
];

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close: () => Promise<void>;
}

/**
 * Launches one headless browser with a throwaway profile. Callers close it in `finally`.
 * `protocolTimeout` bounds any single browser call; Lectern's own per-deck deadline is shorter.
 */
export async function launchBrowser(executablePath = findBrowser(), protocolTimeout = 240_000): Promise<LaunchedBrowser> {
  const { launch } = await import('puppeteer-core');
  removeDeadProfiles();
  // The profile's name carries this process's pid, so a later run can tell a dead run's leftovers.
  const profile = mkdtempSync(join(tmpdir(), `lectern-chrome-${process.pid}-`));
  // WebRTC sends UDP (STUN) past any proxy: the profile's policy keeps it from sending at all,
  // so the network gate of each page is the only way out.
  mkdirSync(join(profile, 'Default'));
  mkdirSync(join(profile, 'tmp'));
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ webrtc: { ip_handling_policy: 'disable_non_proxied_udp', udp_port_range: '1-1' } }));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser: Browser;
  try {
    browser = await launch({
      executablePath,
      protocolTimeout,
      headless: true,
      userDataDir: profile,
      args: [...browserArgs, ...(root ? ['--no-sandbox'] : [])],
      // Over a pipe, Chromium ends when its parent does, however the parent ends (kill -9 included).
      pipe: true,
      // Chromium's own temporary files live in the profile, so they go with it however it ends.
      env: { ...process.env, TMPDIR: join(profile, 'tmp') },
      // Lectern handles signals itself, so staged output is cleaned up before the browser goes.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new DeckError('BROWSER_LAUNCH', `the browser at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'run the browser by hand with --headless to see why, or point CHROME_PATH at another one',
      cause: err,
    });
  }
  // A process made to exit at once (a second Ctrl-C) still takes its browser with it.
  const child = browser.process();
  const killGroup = (): void => {
    // Helper processes Chromium started (zygote, renderers) share its process group.
    if (!child?.pid || process.platform === 'win32') return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The group is already gone.
    }
  };
  // Until the close below is done, an exit made at once (a second Ctrl-C) kills the browser
  // and removes its profile; the killed browser may write for a moment, hence the retries.
  const forget = onExit(() => {
    killGroup();
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
  });
  return closingOnce(browser, async () => {
    try {
      // A busy or hung browser gets a few seconds to close, then is killed: none outlives a run.
      let timer: NodeJS.Timeout | undefined;
      const closed = await Promise.race([
        browser.close().then(() => true, () => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5_000))),
      ]);
      clearTimeout(timer);
      if (!closed) child?.kill('SIGKILL');
      // The helpers hold our pipes open: end the group and let go of the pipes, so nothing
      // outlives the run.
      killGroup();
      for (const stream of [child?.stdin, child?.stdout, child?.stderr]) stream?.destroy();
    } finally {
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
      forget();
    }
  });
}

/** Profiles of runs that died (their pid is gone) are removed; their browsers ended with them. */
function removeDeadProfiles(): void {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^lectern-chrome-(\d+)-/.exec(entry);
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
}

/** Wraps a browser with a close that runs `finish` once, however often it is called. */
function closingOnce(browser: Browser, finish: () => Promise<void>): LaunchedBrowser {
  let closing: Promise<void> | null = null;
  return {
    browser,
    close: () => (closing ??= finish()),
  };
}

/** Connects to a browser that is already running (a pool on another machine, say). */
export async function connectBrowser(browserWSEndpoint: string, protocolTimeout = 240_000): Promise<LaunchedBrowser> {
  const { connect } = await import('puppeteer-core');
  let browser: Browser;
  try {
    browser = await connect({ browserWSEndpoint, protocolTimeout });
  } catch (err) {
    throw new DeckError('BROWSER_LAUNCH', `could not connect to ${browserWSEndpoint}: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'check the endpoint (ws://host:port/...) and that the browser is running',
      cause: err,
    });
  }
  // Someone else's browser: let go of it, leave it running.
  return closingOnce(browser, () => browser.disconnect());
}
