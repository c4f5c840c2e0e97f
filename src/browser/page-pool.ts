import { availableParallelism } from 'node:os';
import { DeckError, interrupted } from '../errors.js';
import type { LaunchedBrowser } from './launch.js';

/** A page that does one deck at a time and is reused for the next. */
interface PooledPage {
  close: () => Promise<void>;
}

interface PoolOptions<J, P extends PooledPage, R> {
  /** Pages open at once; default: the number of CPUs. */
  concurrency?: number;
  signal?: AbortSignal;
  /** What the pages do, for errors: `printing`, `checking`. */
  doing: string;
  /** The deck file a job is about, for errors. */
  fileOf: (job: J) => string;
  /** Opens a page (in a browser context of its own, behind its own network gate). */
  open: (browser: LaunchedBrowser) => Promise<P>;
  run: (page: P, job: J) => Promise<R>;
  onStart?: (job: J) => void;
  onResult?: (result: R, job: J) => void;
}

/**
 * Runs jobs in one open browser with a bounded pool of pages, in order of the jobs. The caller
 * owns the browser and closes it; a browser that dies mid-run is BROWSER_CRASHED, an interrupt
 * is INTERRUPTED, and the first failure stops the pool.
 */
export async function runOnPages<J, P extends PooledPage, R>(
  jobs: J[],
  browser: LaunchedBrowser,
  options: PoolOptions<J, P, R>,
): Promise<R[]> {
  if (jobs.length === 0) return [];
  const inFlight = new Set<string>();
  // The decks being worked on, or all of them when the browser died before any started.
  const busy = (): string[] => (inFlight.size ? [...inFlight] : jobs.map(options.fileOf));
  let crashed!: (err: DeckError) => void;
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  crash.catch(() => undefined);
  const onDisconnect = (): void =>
    crashed(
      new DeckError('BROWSER_CRASHED', `the browser stopped while ${options.doing} ${busy().join(', ')}`, {
        pos: { file: busy()[0]! },
        hint: 'run `lectern doctor` to check the browser; low memory (/dev/shm) is a common cause',
      }),
    );
  browser.browser.once('disconnected', onDisconnect);
  // An interrupt while a page is still opening must not wait for the page.
  const aborted = new Promise<never>((_, reject) => {
    const fail = (): void => reject(interrupted());
    if (options.signal?.aborted) fail();
    else options.signal?.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  // It may have died before this run got to it (while the decks were being built).
  if (!browser.browser.connected) onDisconnect();

  const results = new Map<J, R>();
  const errors: DeckError[] = [];
  const queue = [...jobs];
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), jobs.length));

  const worker = async (): Promise<void> => {
    let page: P | null = null;
    try {
      for (let job = queue.shift(); job !== undefined && errors.length === 0; job = queue.shift()) {
        inFlight.add(options.fileOf(job));
        options.onStart?.(job);
        try {
          page ??= await Promise.race([options.open(browser), crash, aborted]);
          const result = await Promise.race([options.run(page, job), crash]);
          results.set(job, result);
          options.onResult?.(result, job);
        } catch (err) {
          errors.push(err instanceof DeckError ? err : browserFailure(err, options.fileOf(job), options.doing));
          await page?.close();
          page = null;
        } finally {
          inFlight.delete(options.fileOf(job));
        }
      }
    } finally {
      await page?.close();
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    browser.browser.off('disconnected', onDisconnect);
  }
  if (errors.length) throw errors[0];
  return jobs.map((job) => results.get(job)!);
}

/** A failure of the browser's protocol means the browser went away. */
function browserFailure(err: unknown, file: string, doing: string): DeckError {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  const crashed = /Target closed|Session closed|Protocol error|Connection closed|browser has disconnected/i.test(
    message,
  );
  return new DeckError(
    crashed ? 'BROWSER_CRASHED' : doing === 'printing' ? 'PDF_FAILED' : 'CHECK_FAILED',
    `${crashed ? `the browser stopped while ${doing}` : `${doing} failed`}: ${message}`,
    {
      pos: { file },
      hint: crashed ? 'run `lectern doctor` to check the browser' : 'run again with --debug for the full trace',
      cause: err,
    },
  );
}
