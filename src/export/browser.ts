import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { DeckError } from '../errors.js';

/** Where a browser is looked for, in order, after an explicit path and the environment. */
export function browserCandidates(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      join(homedir(), 'Applications/Google Chrome.app/Contents/MacOS/Google Chrome'),
    ];
  }
  if (platform === 'win32') {
    const roots = [process.env.PROGRAMFILES, process.env['PROGRAMFILES(X86)'], process.env.LOCALAPPDATA].filter(Boolean) as string[];
    return roots.flatMap((root) => [
      join(root, 'Google/Chrome/Application/chrome.exe'),
      join(root, 'Chromium/Application/chrome.exe'),
      join(root, 'Microsoft/Edge/Application/msedge.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/snap/bin/chromium',
  ];
}

/**
 * Finds a Chrome-family browser: the explicit path, then CHROME_PATH, then
 * PUPPETEER_EXECUTABLE_PATH, then the usual install locations. Nothing is ever downloaded.
 */
export function findBrowser(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  const sources: [string, string | undefined][] = [
    ['--browser-path', explicit],
    ['CHROME_PATH', env.CHROME_PATH],
    ['PUPPETEER_EXECUTABLE_PATH', env.PUPPETEER_EXECUTABLE_PATH],
  ];
  for (const [label, path] of sources) {
    if (!path) continue;
    if (existsSync(path)) return path;
    tried.push(`${label}=${path} (missing)`);
  }
  for (const path of browserCandidates()) {
    if (existsSync(path)) return path;
    tried.push(path);
  }
  throw new DeckError('BROWSER_NOT_FOUND', 'no Chrome, Chromium or Edge found', {
    hint: `looked at: ${tried.join(', ')}. Install one (Debian/Ubuntu: apt-get install chromium) or set CHROME_PATH`,
  });
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
];

export interface LaunchedBrowser {
  browser: Browser;
  /** Closes the browser and removes its profile folder; safe to call twice. */
  close: () => Promise<void>;
}

/** Launches one headless browser with a throwaway profile. Callers close it in `finally`. */
export async function launchBrowser(executablePath = findBrowser()): Promise<LaunchedBrowser> {
  const { launch } = await import('puppeteer-core');
  const profile = mkdtempSync(join(tmpdir(), 'lectern-chrome-'));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  let browser: Browser;
  try {
    browser = await launch({
      executablePath,
      headless: true,
      userDataDir: profile,
      args: [...browserArgs, ...(root ? ['--no-sandbox'] : [])],
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new DeckError('BROWSER_LAUNCH', `the browser at ${executablePath} did not start: ${(err as Error).message.split('\n')[0]}`, {
      hint: 'run the browser by hand with --headless to see why, or point CHROME_PATH at another one',
      cause: err,
    });
  }
  let closed = false;
  return {
    browser,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await browser.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
