import { basename, dirname, join, resolve } from 'node:path';
import { DeckError } from '../errors.js';
import { keepFindings, noteWritten, writeOwnedFile } from '../output/write.js';
import type { SingleFileResult } from '../single/export.js';
import { type BuiltDeckRun, withBuiltDecks } from './built-decks.js';

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
export function exportSingleFilesOf(
  folders: string[],
  options: BuiltDeckRun & { onResult?: (r: WrittenSingleFile) => void } = {},
): Promise<WrittenSingleFile[]> {
  for (const folder of folders) assertSingleFileName(basename(resolve(folder)), folder);
  return withBuiltDecks(
    folders,
    options,
    async (decks, browser) => {
      const { singleFiles } = await import('../single/export.js');
      const { concurrency, timeoutMs, allowRemote } = options.browser ?? {};
      const results = await singleFiles(decks, browser, {
        concurrency,
        timeoutMs,
        allowRemote,
        signal: options.signal,
      });
      return results.map((r, i) => {
        const outDir = dirname(decks[i]!.folder);
        const path = join(outDir, `${r.name}.html`);
        writeOwnedFile(outDir, `${r.name}.html`, r.html);
        noteWritten(decks[i]!.folder, keepFindings(decks[i]!.folder, { [`../${r.name}.html`]: r.warnings }));
        const { html: _html, ...rest } = r;
        const written = { ...rest, path };
        options.onResult?.(written);
        return written;
      });
    },
    (deck) => [`${deck.name}.html`],
  );
}
