import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { DeckError } from '../errors.js';
import { lockOutput } from '../output/lock.js';
import { readSummary } from '../output/manifest.js';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import { writeOwnedFile } from '../output/write.js';
import type { SingleFileResult } from '../single/export.js';
import { type BrowserSession, closeBrowserSession, startBrowserSession } from './browser-session.js';

/** A single-file deck as the run reports it: where it was written. */
export interface WrittenSingleFile extends Omit<SingleFileResult, 'html'> {
  path: string;
}

/** A deck's single file is `<deck>.html` beside its folder: a deck named `index` would take the index page's name. */
export function assertSingleFileName(name: string, file: string): void {
  if (name.toLowerCase() !== 'index') return;
  throw new DeckError('DECK_NAME_RESERVED', `a deck named "${name}" has no single file: index.html is the index page`, {
    pos: { file },
    hint: 'rename the deck file (for example to talk.md) to export it as one file',
  });
}

/**
 * `--single-file`: each deck already built as one HTML file beside its folder (`<out>/<deck>.html`),
 * that opens from disk offline and loads nothing, in one browser.
 */
export async function exportSingleFilesOf(
  folders: string[],
  options: {
    browser?: BrowserOptions;
    signal?: AbortSignal;
    onResult?: (r: WrittenSingleFile) => void;
    session?: BrowserSession;
  } = {},
): Promise<WrittenSingleFile[]> {
  const jobs = folders.map((folder) => {
    const manifest = join(folder, 'deck.json');
    if (!existsSync(manifest) || !existsSync(join(folder, 'index.html'))) {
      throw new DeckError('INPUT_MISSING', `${folder} is not a built deck (no deck.json and index.html)`, {
        hint: 'give a deck file (.md) or a folder that `lectern build` wrote',
      });
    }
    const name = basename(resolve(folder));
    const file = readSummary(manifest).file;
    assertSingleFileName(name, file);
    return { name, file, folder: resolve(folder) };
  });
  if (jobs.length === 0) return [];
  const session = options.session ?? startBrowserSession(options.browser ?? {}, false);
  const outDirs = [...new Set(jobs.map((j) => dirname(j.folder)))];
  const locks = [];
  try {
    for (const outDir of outDirs) {
      locks.push(await lockOutput(outDir, 60_000, options.signal));
      const names = jobs.filter((j) => dirname(j.folder) === outDir).map((j) => j.name);
      const record = readOutputRecord(outDir);
      assertOwned(
        outDir,
        record,
        names,
        names.map((n) => `${n}.html`),
        { requireDecks: true },
      );
    }
    const [{ singleFiles }, browser] = await Promise.all([import('../single/export.js'), session.browser]);
    const { concurrency, timeoutMs, allowRemote } = options.browser ?? {};
    const results = await singleFiles(jobs, browser, { concurrency, timeoutMs, allowRemote, signal: options.signal });
    return results.map((r, i) => {
      const outDir = dirname(jobs[i]!.folder);
      const path = join(outDir, `${r.name}.html`);
      writeOwnedFile(outDir, `${r.name}.html`, r.html);
      const { html: _html, ...rest } = r;
      const written = { ...rest, path };
      options.onResult?.(written);
      return written;
    });
  } finally {
    for (const lock of locks) lock.release();
    if (!options.session) await closeBrowserSession(session);
  }
}
