import { type BrowserOptions, resolveBrowser } from '../browser/find.js';
import type { DiagramJob, Drawn } from '../browser/diagrams.js';
import { openBrowser } from '../browser/launch.js';
import type { BrowserSession } from './browser-session.js';

/**
 * How a run draws the diagrams no earlier build drew: in the run's browser when it has one, or
 * in one started for them and closed after; null when there is no browser to draw with (the
 * decks then show the diagrams as code, with a warning).
 */
export function diagramDrawer(
  session: BrowserSession | null,
  options: BrowserOptions,
): (jobs: DiagramJob[]) => Promise<Drawn[] | null> {
  return async (jobs) => {
    const { drawDiagrams, diagramDeadlines } = await import('../browser/diagrams.js');
    const deadlines = diagramDeadlines(options.timeoutMs);
    if (session) {
      const browser = await session.browser.catch(() => null);
      return browser ? drawDiagrams(browser, jobs, deadlines) : null;
    }
    let launched: Awaited<ReturnType<typeof openBrowser>>;
    try {
      launched = await openBrowser(resolveBrowser(options), (options.timeoutMs ?? 60_000) + 60_000);
    } catch {
      return null;
    }
    try {
      return await drawDiagrams(launched, jobs, deadlines);
    } finally {
      await launched.close();
    }
  };
}
