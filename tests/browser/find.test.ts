import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser, locateBrowser, puppeteerCacheCandidates } from '../../src/browser/find.js';
import { browserForTests } from '../helpers/browser.js';
import { makeProject } from '../helpers/fs.js';

describe('finding a browser', () => {
  it("looks in Puppeteer's cache, the headless shell first, newest version first", () => {
    const cache = makeProject({
      'chrome/linux-120.0.1/chrome-linux64/chrome': '#!/bin/sh\n',
      'chrome/linux-131.0.2/chrome-linux64/chrome': '#!/bin/sh\n',
      'chrome-headless-shell/linux-131.0.2/chrome-headless-shell-linux64/chrome-headless-shell': '#!/bin/sh\n',
    });
    expect(puppeteerCacheCandidates({ PUPPETEER_CACHE_DIR: cache }, 'linux')).toEqual([
      join(cache, 'chrome-headless-shell/linux-131.0.2/chrome-headless-shell-linux64/chrome-headless-shell'),
      join(cache, 'chrome/linux-131.0.2/chrome-linux64/chrome'),
      join(cache, 'chrome/linux-120.0.1/chrome-linux64/chrome'),
    ]);
  });

  it('takes CHROME_PATH before PUPPETEER_EXECUTABLE_PATH and the usual places', () => {
    const dir = makeProject({ 'my-chrome': '#!/bin/sh\n', 'other-chrome': '#!/bin/sh\n' });
    chmodSync(join(dir, 'my-chrome'), 0o755);
    expect(
      findBrowser(undefined, {
        CHROME_PATH: join(dir, 'my-chrome'),
        PUPPETEER_EXECUTABLE_PATH: join(dir, 'other-chrome'),
      }),
    ).toBe(join(dir, 'my-chrome'));
    expect(
      findBrowser(undefined, {
        CHROME_PATH: join(dir, 'missing'),
        PUPPETEER_EXECUTABLE_PATH: join(dir, 'other-chrome'),
      }),
    ).toBe(join(dir, 'other-chrome'));
  });

  it('refuses an explicit path that does not exist', () => {
    expect(() => findBrowser('/no/such/chrome', {})).toThrow(
      expect.objectContaining({ code: 'BROWSER_NOT_FOUND', exitCode: 3 }),
    );
  });

  it('knows the usual places on each platform', () => {
    const linux = browserCandidates('linux');
    expect(linux).toContain('/usr/bin/chromium');
    // The headless shell first, and each real binary before the start-up script that runs it.
    expect(linux[0]).toBe('/usr/lib/chromium/chromium-headless-shell');
    expect(linux.indexOf('/usr/lib/chromium/chromium')).toBeLessThan(linux.indexOf('/usr/bin/chromium'));
    expect(linux.indexOf('/opt/google/chrome/chrome')).toBeLessThan(linux.indexOf('/usr/bin/google-chrome'));
    expect(browserCandidates('darwin')[0]).toBe('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
    const saved = process.env.PROGRAMFILES;
    process.env.PROGRAMFILES = 'C:\\Program Files';
    try {
      expect(browserCandidates('win32').some((p) => p.endsWith(join('Google/Chrome/Application/chrome.exe')))).toBe(
        true,
      );
    } finally {
      if (saved === undefined) delete process.env.PROGRAMFILES;
      else process.env.PROGRAMFILES = saved;
    }
  });
});

describe.skipIf(!browserForTests('browser choice tests'))('why a browser was chosen', () => {
  it('says when CHROME_PATH names a browser that is not there, and what it took instead', () => {
    const found = locateBrowser(undefined, { CHROME_PATH: '/no/such/chrome' });
    expect(found.why).toContain('CHROME_PATH=/no/such/chrome (missing)');
    expect(found.path).not.toBe('/no/such/chrome');
  });
});
