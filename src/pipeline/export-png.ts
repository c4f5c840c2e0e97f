import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { DeckError } from '../errors.js';
import { lockOutput } from '../output/lock.js';
import { readSummary } from '../output/manifest.js';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import type { PngOptions, PngResult } from '../png/export.js';
import { type BrowserSession, closeBrowserSession, startBrowserSession } from './browser-session.js';

/**
 * `lectern png`: a picture of every slide of decks already built, into `<deck>/slides/`
 * (001.png, 002.png, …), from the same print layout the PDF comes from, in one browser.
 */
export async function exportPngsOf(
  folders: string[],
  options: {
    browser?: BrowserOptions;
    png?: PngOptions;
    signal?: AbortSignal;
    onResult?: (r: PngResult) => void;
    /** The run's browser, when it has one already (a build that printed PDFs too). */
    session?: BrowserSession;
  } = {},
): Promise<PngResult[]> {
  const jobs = folders.map((folder) => {
    const manifest = join(folder, 'deck.json');
    if (!existsSync(manifest) || !existsSync(join(folder, 'index.html'))) {
      throw new DeckError('INPUT_MISSING', `${folder} is not a built deck (no deck.json and index.html)`, {
        hint: 'give a deck file (.md) or a folder that `lectern build` wrote',
      });
    }
    // Nothing read from a built folder is a path: the deck's name is its folder's.
    return { name: basename(resolve(folder)), file: readSummary(manifest).file, folder: resolve(folder) };
  });
  if (jobs.length === 0) return [];
  const session = options.session ?? startBrowserSession(options.browser ?? {}, false);
  const outDirs = [...new Set(jobs.map((j) => dirname(j.folder)))];
  const locks = [];
  try {
    for (const outDir of outDirs) {
      locks.push(await lockOutput(outDir, 60_000, options.signal));
      // The deck folders must be Lectern's own, as for a build.
      const names = jobs.filter((j) => dirname(j.folder) === outDir).map((j) => j.name);
      assertOwned(outDir, readOutputRecord(outDir), names, [], { requireDecks: true });
    }
    const [{ exportPngs }, browser] = await Promise.all([import('../png/export.js'), session.browser]);
    const { concurrency, timeoutMs, allowRemote } = options.browser ?? {};
    return await exportPngs(jobs, browser, {
      concurrency,
      timeoutMs,
      allowRemote,
      ...options.png,
      signal: options.signal,
      onResult: (r) => options.onResult?.(r),
    });
  } finally {
    for (const lock of locks) lock.release();
    if (!options.session) await closeBrowserSession(session);
  }
}
