import type { PngOptions, PngResult } from '../png/export.js';
import { type BuiltDeckRun, withBuiltDecks } from './built-decks.js';

/**
 * `lectern png`: a picture of every slide of decks already built, into `<deck>/slides/`
 * (001.png, 002.png, …), from the same print layout the PDF comes from, in one browser.
 */
export function exportPngsOf(
  folders: string[],
  options: BuiltDeckRun & { png?: PngOptions; onResult?: (r: PngResult) => void } = {},
): Promise<PngResult[]> {
  return withBuiltDecks(folders, options, async (decks, browser) => {
    const { exportPngs } = await import('../png/export.js');
    const { concurrency, timeoutMs, allowRemote } = options.browser ?? {};
    return exportPngs(decks, browser, {
      concurrency,
      timeoutMs,
      allowRemote,
      ...options.png,
      signal: options.signal,
      onResult: (r) => options.onResult?.(r),
    });
  });
}
