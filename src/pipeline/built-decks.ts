import { statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { DeckError } from '../errors.js';
import type { DeckSummary } from '../model/summary.js';
import { lockOutput } from '../output/lock.js';
import { readSummary } from '../output/manifest.js';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import { type BrowserSession, closeBrowserSession, startBrowserSession } from './browser-session.js';

/** A deck folder `lectern build` wrote, as an export after the build reads it. */
export interface BuiltDeck {
  /** Its folder's name (nothing read from a built folder is a path). */
  name: string;
  /** The deck source, as errors name it. */
  file: string;
  folder: string;
  summary: DeckSummary;
}

/** What every export from built decks takes: the browser, a signal, the run's browser if it has one. */
export interface BuiltDeckRun {
  browser?: BrowserOptions;
  signal?: AbortSignal;
  /** The run's browser, when it has one already (a build that printed PDFs too). */
  session?: BrowserSession;
}

/**
 * Runs an export over decks already built, in one browser: each folder must be a built deck, and
 * its output folder is held (locked) and checked to be Lectern's for the whole run, with the files
 * the export writes beside the decks (`besideDecks`) too.
 */
export async function withBuiltDecks<R>(
  folders: string[],
  options: BuiltDeckRun,
  run: (decks: BuiltDeck[], browser: LaunchedBrowser) => Promise<R[]>,
  besideDecks: (deck: BuiltDeck) => string[] = () => [],
): Promise<R[]> {
  const decks = folders.map((folder): BuiltDeck => {
    const manifest = join(folder, 'deck.json');
    if (!isRegularFile(manifest) || !isRegularFile(join(folder, 'index.html'))) {
      throw new DeckError('INPUT_MISSING', `${folder} is not a built deck (no deck.json and index.html)`, {
        hint: 'give a deck file (.md) or a folder that `lectern build` wrote',
      });
    }
    const summary = readSummary(manifest);
    return { name: basename(resolve(folder)), file: summary.file, folder: resolve(folder), summary };
  });
  if (decks.length === 0) return [];
  const session = options.session ?? startBrowserSession(options.browser ?? {}, false);
  const outDirs = [...new Set(decks.map((d) => dirname(d.folder)))];
  const locks = [];
  try {
    for (const outDir of outDirs) {
      locks.push(await lockOutput(outDir, 60_000, options.signal));
      // The deck folders must be Lectern's own, as for a build.
      const here = decks.filter((d) => dirname(d.folder) === outDir);
      assertOwned(
        outDir,
        readOutputRecord(outDir),
        here.map((d) => d.name),
        here.flatMap(besideDecks),
        { requireDecks: true },
      );
    }
    return await run(decks, await session.browser);
  } finally {
    for (const lock of locks) lock.release();
    if (!options.session) await closeBrowserSession(session);
  }
}

/** Whether a path is a regular file (links followed): a pipe or a folder is no built deck's file. */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
