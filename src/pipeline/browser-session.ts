import { resolveBrowser, type BrowserOptions } from '../browser/find.js';
import { openBrowser, type LaunchedBrowser } from '../browser/launch.js';
import { timed } from '../timings.js';

/** The run's one browser being opened, and for runs that print the exporter being loaded, while other work goes on. */
export interface BrowserSession {
  browser: Promise<LaunchedBrowser>;
  /** Null for runs that only check. */
  exporter: Promise<typeof import('../pdf/export.js').exportPdfs> | null;
}

/**
 * Finds the browser now (BROWSER_NOT_FOUND before anything is written) and starts it; the PDF
 * exporter and pdf-lib load only for runs that print, keeping HTML builds quick to start.
 */
export function startBrowserSession(options: BrowserOptions, print: boolean): BrowserSession {
  const source = resolveBrowser(options);
  const session: BrowserSession = {
    // No single browser call may outlast the deck's own deadline, which reports what it waited for.
    browser: timed('browser start', openBrowser(source, (options.timeoutMs ?? 60_000) + 60_000)),
    exporter: print ? import('../pdf/export.js').then((m) => m.exportPdfs) : null,
  };
  // Failures surface where these are awaited; until then they must not go unhandled.
  session.browser.catch(() => undefined);
  session.exporter?.catch(() => undefined);
  return session;
}

/** The browser of a run is closed on every path, whether or not it was ever used. */
export async function closeBrowserSession(session: BrowserSession): Promise<void> {
  const browser = await session.browser.catch(() => null);
  await timed('browser close', browser?.close().catch(() => undefined) ?? Promise.resolve());
}
