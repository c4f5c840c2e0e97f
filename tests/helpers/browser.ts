import { existsSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import { type LaunchedBrowser, launchBrowser } from '../../src/browser/launch.js';
import { findBrowser } from '../../src/browser/find.js';
import { noteSkip } from './skips.js';

/**
 * The browser the real-browser tests use, or null to skip them (with a notice). On CI a missing
 * browser fails the run instead: `.ci/run` installs one, so its absence is a broken setup.
 */
export function browserForTests(suite: string): string | null {
  try {
    return findBrowser();
  } catch (err) {
    if (process.env.CI) throw err;
    noteSkip(suite, `no browser: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
}

/**
 * The browser a test opens pages in, as a person's browser shows them: frames at the display's
 * rate. (Lectern's own runs draw frames as fast as they can, for pictures; a page that moves, a
 * slide transition or a timer, then keeps the processor busy, and a test watches many of those.)
 */
export function launchForTests(executablePath: string): Promise<LaunchedBrowser> {
  return launchBrowser(executablePath, undefined, 'display');
}

/**
 * A page of a test's own, free to reach the test's servers on 127.0.0.1: a browser Lectern
 * launched sends every window it did not open itself through a gate that refuses everything.
 */
export async function testPage(launched: LaunchedBrowser): Promise<Page> {
  const context = await launched.browser.createBrowserContext({ proxyServer: 'direct://' });
  return context.newPage();
}

/** The Noto emoji and CJK fonts, which `npm run setup` installs where it installs Chromium (CI has them). */
export const hasNotoFonts = needsFonts(
  existsSync('/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf') &&
    existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
);

function needsFonts(found: boolean): boolean {
  // CI has them (.ci/run installs them): there the tests run, and fail without them.
  if (!found && !process.env.CI)
    noteSkip('tests that need the Noto emoji and CJK fonts', 'not installed (npm run setup installs them)');
  return found;
}
