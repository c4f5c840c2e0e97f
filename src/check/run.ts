import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { axeRulesFor, browserFindings } from './findings.js';
import type { Finding } from '../errors.js';
import type { AssetRef, Deck } from '../model/types.js';
import type { BrowserOptions } from '../browser/find.js';
import type { DeckOutput } from '../output/write.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { outputFiles } from '../browser/deck-files.js';
import { openInspectPage, type InspectPage } from './observe.js';
import { runOnPages } from '../browser/page-pool.js';
import { blockedRequests } from '../browser/routed-page.js';

/** A deck built in memory, to check before (or instead of) writing it. */
interface CheckJob {
  deck: Deck;
  /** Every deck file named in the deck or its settings: findings about one point where it is named. */
  assets: AssetRef[];
  output: DeckOutput;
}

type BrowserCheckOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> & { signal?: AbortSignal };

/**
 * Runs the browser rules (overflow, accessibility, images) on decks built in memory, each served
 * to its page over the browser's own connection, in one open browser. Returns each deck's findings in order.
 */
export function checkInBrowser(
  jobs: CheckJob[],
  browser: LaunchedBrowser,
  options: BrowserCheckOptions = {},
): Promise<Finding[][]> {
  const pages = {
    doing: 'checking',
    fileOf: (job: CheckJob) => job.deck.file,
    open: (b: LaunchedBrowser) => openInspectPage(b, options.allowRemote),
  };
  return runOnPages(jobs, browser, { ...options, ...pages, run: (page, job) => checkOne(page, job, options) });
}

async function checkOne(
  page: InspectPage,
  { deck, assets, output }: CheckJob,
  options: BrowserCheckOptions,
): Promise<Finding[]> {
  {
    const rules = axeRulesFor(deck);
    const seen = await page.inspect(outputFiles(output), deck.file, {
      width: deck.width,
      height: deck.height,
      slideRules: rules.slide,
      pageRules: rules.page,
      allowRemote: options.allowRemote ?? false,
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
      signal: options.signal,
    });
    const copies = new Map(output.copies.map((c) => [c.to, c]));
    const bytesOf = (src: string): number | undefined => {
      const copy = copies.get(posix.normalize(src.replace(/[?#].*$/, '')).replace(/^\.\//, ''));
      try {
        return copy ? (copy.content?.length ?? statSync(copy.from).size) : undefined;
      } catch {
        return undefined;
      }
    };
    return [...blockedRequests(seen.blocked, deck.file), ...browserFindings(deck, seen, bytesOf, assets)];
  }
}
