import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { DeckError } from '../errors.js';
import { onExit, processAlive } from '../processes.js';
import { findBrowser, isHeadlessShell, type BrowserSource } from './find.js';
import { openNetworkGate, type GatePolicy } from './network-gate.js';

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

/**
 * The headless shell's frames unthrottled: a picture (PNG, PPTX, thumbnail) waits for frames, and
 * takes two thirds of the time so (45 ms a picture here otherwise, most of it waiting for the
 * next frame). Full Chromium prints slower with them: it keeps its frame rate. A page that moves
 * (a slide transition, a timer) is drawn as often as the processor allows then, so a browser that
 * shows pages as a person watches them (`frames: 'display'`) goes without.
 */
const shellArgs = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];

export interface LaunchedBrowser {
  browser: Browser;
  /** A browser Lectern connected to (`--browser-ws`), perhaps on another machine, not one it launched. */
  connected: boolean;
  /**
   * Its profile cannot keep a deck from sending WebRTC's UDP (a browser Lectern connected to,
   * and the headless shell, which has no such policy): the pages take the API away instead.
   */
  guardPages: boolean;
  /**
   * The window a launched browser started with, behind the gate it was started with, for the
   * first page opened (null after that, and for a browser Lectern connected to): its page, from
   * now on under `policy`.
   */
  takeFirstWindow?: (policy: GatePolicy) => Promise<Page | undefined> | null;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close: () => Promise<void>;
}

/**
 * Launches one headless browser with a throwaway profile. Callers close it in `finally`.
 * `protocolTimeout` bounds any single browser call; Lectern's own per-deck deadline is shorter.
 */
export async function launchBrowser(
  executablePath = findBrowser(),
  protocolTimeout = 240_000,
  frames: 'unthrottled' | 'display' = 'unthrottled',
): Promise<LaunchedBrowser> {
  const { launch } = await import('puppeteer-core');
  removeDeadProfiles();
  // The profile's name carries this process's pid, so a later run can tell a dead run's leftovers.
  const profile = mkdtempSync(join(tmpdir(), `lectern-chrome-${process.pid}-`));
  // WebRTC sends UDP (STUN) past any proxy: the profile's policy keeps it from sending at all,
  // so the network gate of each page is the only way out.
  mkdirSync(join(profile, 'Default'));
  mkdirSync(join(profile, 'tmp'));
  const browserTmp = shortTemp(join(profile, 'tmp'));
  writeFileSync(
    join(profile, 'Default', 'Preferences'),
    JSON.stringify({ webrtc: { ip_handling_policy: 'disable_non_proxied_udp', udp_port_range: '1-1' } }),
  );
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  // The window the browser starts with goes through a gate like every other window; until its
  // page is given a policy, the gate refuses everything (and tells no one).
  let firstPolicy: GatePolicy = { allowRemote: false, blocked: [], retired: [] };
  const gate = await openNetworkGate(() => firstPolicy);
  let browser: Browser;
  try {
    browser = await launch({
      executablePath,
      protocolTimeout,
      // The headless shell is headless Chrome's older, leaner build: Puppeteer's `shell` mode.
      headless: isHeadlessShell(executablePath) ? 'shell' : true,
      userDataDir: profile,
      args: [
        ...browserArgs,
        ...(isHeadlessShell(executablePath) && frames === 'unthrottled' ? shellArgs : []),
        ...(root ? ['--no-sandbox'] : []),
        // `<-loopback>` sends 127.0.0.1 through the gate too: "remote" may be another local port.
        `--proxy-server=${gate.proxy}`,
        '--proxy-bypass-list=<-loopback>',
      ],
      // Over a pipe, Chromium ends when its parent does, however the parent ends (kill -9 included).
      pipe: true,
      // Chromium's own temporary files live in the profile, so they go with it however it ends.
      env: { ...process.env, TMPDIR: browserTmp },
      // Lectern handles signals itself, so staged output is cleaned up before the browser goes.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    if (browserTmp !== join(profile, 'tmp')) rmSync(browserTmp, { recursive: true, force: true });
    await gate.close();
    throw new DeckError(
      'BROWSER_LAUNCH',
      `the browser at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'run the browser by hand with --headless to see why, or point CHROME_PATH at another one',
        cause: err,
      },
    );
  }
  // A process made to exit at once (a second Ctrl-C) still takes its browser with it.
  const child = browser.process();
  // Its pipes (DevTools on 3 and 4, and stdio) may report a reset when it is ended: that is no
  // error of the run, at any time, whoever listens to them then.
  for (const stream of child?.stdio ?? []) stream?.on('error', () => undefined);
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
    rmSync(browserTmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
  });
  let firstTaken = false;
  const takeFirstWindow = (policy: GatePolicy): Promise<Page | undefined> | null => {
    if (firstTaken) return null;
    firstTaken = true;
    firstPolicy = policy;
    return browser.pages().then((pages) => pages[0]);
  };
  const launched = closingOnce(browser, false, isHeadlessShell(executablePath), async () => {
    try {
      // Nothing of the browser is kept (its profile is thrown away), so it is not asked to shut
      // down, which takes it a tenth of a second and more: it and its helpers are ended at once.
      const exited =
        child && child.exitCode === null && child.signalCode === null
          ? new Promise<void>((resolve) => child.once('exit', () => resolve()))
          : Promise.resolve();
      if (!child) await browser.close().catch(() => undefined);
      child?.kill('SIGKILL');
      killGroup();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
      // The helpers hold our pipes open: let go of them, so nothing outlives the run.
      browser.disconnect().catch(() => undefined);
      for (const stream of child?.stdio ?? []) stream?.destroy();
    } finally {
      await gate.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
      rmSync(browserTmp, { recursive: true, force: true, maxRetries: 20, retryDelay: 25 });
      forget();
    }
  });
  return { ...launched, takeFirstWindow };
}

/** Profiles of runs that died (their pid is gone) are removed; their browsers ended with them. */
function removeDeadProfiles(): void {
  for (const base of new Set([tmpdir(), SHORT_TEMP_BASE])) {
    let entries: string[];
    try {
      entries = readdirSync(base);
    } catch {
      continue;
    }
    for (const entry of entries) {
      const m = /^lectern-chrome-(\d+)-/.exec(entry);
      if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
      rmSync(join(base, entry), { recursive: true, force: true });
    }
  }
}

/** Where Chromium's temporary files go when the profile's own folder is too deep for them. */
const SHORT_TEMP_BASE = '/tmp';

/**
 * Chromium's temporary folder: the profile's own, unless its path is so long that the socket
 * Chromium makes there (`.org.chromium.Chromium.XXXXXX/SingletonSocket`) would pass the 107
 * bytes a Unix socket's path may have (a deep TMPDIR, as macOS's): then a folder of this run's
 * in /tmp, named with its pid so a later run removes it if this one cannot.
 */
function shortTemp(preferred: string): string {
  const socketPath = preferred.length + '/.org.chromium.Chromium.XXXXXX/SingletonSocket'.length;
  if (socketPath <= 100 || process.platform === 'win32') return preferred;
  try {
    return mkdtempSync(join(SHORT_TEMP_BASE, `lectern-chrome-${process.pid}-`));
  } catch {
    return preferred;
  }
}

/** Wraps a browser with a close that runs `finish` once, however often it is called. */
function closingOnce(
  browser: Browser,
  connected: boolean,
  guardPages: boolean,
  finish: () => Promise<void>,
): LaunchedBrowser {
  let closing: Promise<void> | null = null;
  return {
    browser,
    connected,
    guardPages,
    close: () => (closing ??= finish()),
  };
}

/** How long a running browser has to answer a connection. */
const CONNECT_TIMEOUT_MS = 15_000;

/** Connects to a browser that is already running (a pool on another machine, say). */
async function connectBrowser(browserWSEndpoint: string, protocolTimeout = 240_000): Promise<LaunchedBrowser> {
  const { connect } = await import('puppeteer-core');
  let browser: Browser;
  let timer: NodeJS.Timeout | undefined;
  // An endpoint that takes the connection and never answers must not hold the run (and its lock).
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS);
  });
  const connecting = connect({ browserWSEndpoint, protocolTimeout });
  try {
    browser = await Promise.race([connecting, gaveUp]);
  } catch (err) {
    // A connection that comes in after all is let go of at once.
    clearTimeout(timer);
    void connecting.then((late) => late.disconnect()).catch(() => undefined);
    throw new DeckError(
      'BROWSER_LAUNCH',
      `could not connect to ${browserWSEndpoint}: ${(err as Error).message.split('\n')[0]}`,
      {
        hint: 'check the endpoint (ws://host:port/...) and that the browser is running',
        cause: err,
      },
    );
  }
  clearTimeout(timer);
  // Someone else's browser: let go of it, leave it running.
  return closingOnce(browser, true, true, () => browser.disconnect());
}
