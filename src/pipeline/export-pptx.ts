import type { PptxResult } from '../pptx/export.js';
import { type BuiltDeckRun, withBuiltDecks } from './built-decks.js';

/**
 * `lectern pptx`: a PowerPoint file of each deck already built, `<deck>/<deck>.pptx`, one slide
 * per slide with its notes, in one browser.
 */
export function exportPptxsOf(
  folders: string[],
  options: BuiltDeckRun & { onResult?: (r: PptxResult) => void; pictures?: boolean } = {},
): Promise<PptxResult[]> {
  return withBuiltDecks(folders, options, async (decks, browser) => {
    const { exportPptxs } = await import('../pptx/export.js');
    const { concurrency, timeoutMs, allowRemote } = options.browser ?? {};
    return exportPptxs(decks, browser, {
      concurrency,
      timeoutMs,
      allowRemote,
      signal: options.signal,
      ...(options.pictures ? { pictures: true } : {}),
      onResult: (r) => options.onResult?.(r),
    });
  });
}
