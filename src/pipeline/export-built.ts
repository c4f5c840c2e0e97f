import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { pdfFileName } from '../deck-layout.js';
import { DeckError } from '../errors.js';
import { lockOutput } from '../output/lock.js';
import { collectSummaries, readSummary } from '../output/manifest.js';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import { writeFileAtomic } from '../output/write.js';
import type { PdfOptions, PdfResult } from '../pdf/export.js';
import { renderIndexPage } from '../render/index-page.js';
import { closeBrowserSession, startBrowserSession } from './browser-session.js';
import { type PdfProgress, pdfRun } from './build.js';
import { readDeckInk } from './ink.js';

/**
 * Exports the PDF of a deck that is already built (`lectern pdf dist/<deck>`), from its
 * deck.json. The PDF is replaced atomically; the index is refreshed.
 */
export async function exportBuiltDeck(
  folder: string,
  options: {
    browser?: BrowserOptions;
    pdf?: PdfOptions;
    signal?: AbortSignal;
    progress?: PdfProgress;
    /** The project the deck was built from: its deck file (and drawing) is found from here. */
    projectDir?: string;
  } = {},
): Promise<PdfResult> {
  const manifest = join(folder, 'deck.json');
  if (!existsSync(manifest) || !existsSync(join(folder, 'index.html'))) {
    throw new DeckError('INPUT_MISSING', `${folder} is not a built deck (no deck.json and index.html)`, {
      hint: 'give a deck file (.md) or a folder that `lectern build` wrote',
    });
  }
  // Nothing read from a built folder is a path: the deck's name is its folder's.
  const name = basename(resolve(folder));
  const pdfName = pdfFileName(name, options.pdf);
  const summary = { ...readSummary(manifest), name, thumbnail: 'thumbnail.png' };
  const session = startBrowserSession(options.browser ?? {}, true);
  const outDir = dirname(folder);
  let result: PdfResult;
  const lock = await lockOutput(outDir, 60_000, options.signal);
  try {
    // The deck folder and the index beside it must be Lectern's own, as for a build.
    assertOwned(outDir, readOutputRecord(outDir), [name], ['index.html'], { requireDecks: true });
    options.progress?.start([{ name: summary.name, slideCount: summary.slideCount }]);
    const [exportPdfs, browser] = await Promise.all([session.exporter!, session.browser]);
    // The drawing is kept beside the deck file the deck was built from (deck.json names it from the project).
    const ink = options.pdf?.annotations
      ? readDeckInk(resolve(options.projectDir ?? '.', summary.file), summary.file)
      : null;
    [result] = (await exportPdfs(
      [{ summary, folder, output: join(folder, pdfName), ...(ink?.ink ? { ink: ink.ink } : {}) }],
      browser,
      {
        ...pdfRun(options.browser, options.pdf),
        signal: options.signal,
        onStart: (job) => options.progress?.begin?.(job.summary),
        onResult: (r) => options.progress?.done(r),
      },
    )) as [PdfResult];
    result.warnings.unshift(...(ink?.warnings ?? []));
    // Each kind of PDF has its own name: the deck is still what its build made, and a build of
    // the unchanged deck keeps this PDF.
    writeFileAtomic(manifest, `${JSON.stringify({ ...summary, pdf: pdfName }, null, 2)}\n`);
    writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  } finally {
    lock.release();
    await closeBrowserSession(session);
  }
  return result;
}
