import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { DeckError, type Warning } from '../errors.js';
import { writeFileAtomic } from '../output/write.js';
import type { DeckSummary } from '../render/index-page.js';
import type { LaunchedBrowser } from './browser.js';
import { serveDeckFolder } from './deck-server.js';
import { bookmarksFor, finishPdf, parseDeckDate } from './pdf-document.js';
import { openPrintPage, type PrintPage } from './print.js';

/** PDF options as the CLI and the library take them. */
export interface PdfOptions {
  browserPath?: string;
  /** Connect to a running browser instead of launching one. */
  browserWs?: string;
  /** Decks printed at once (pages open at once); default: the number of CPUs. */
  concurrency?: number;
  /** Per-deck time limit in milliseconds; default 60 s. */
  timeoutMs?: number;
  allowRemote?: boolean;
  notes?: boolean;
  fragments?: boolean;
}

/** One deck to print: the built folder to serve and where the PDF goes. */
export interface PdfJob {
  summary: DeckSummary;
  /** Built deck folder (index.html and its files). */
  folder: string;
  /** Path of the PDF to write. */
  output: string;
}

export interface PdfResult {
  name: string;
  file: string;
  path: string;
  pages: number;
  bytes: number;
  ms: number;
  warnings: Warning[];
}

/**
 * Prints decks to PDF in one open browser with a bounded pool of pages. The caller owns the
 * browser and closes it; a browser that dies mid-run is BROWSER_CRASHED.
 */
export async function exportPdfs(
  jobs: PdfJob[],
  browser: LaunchedBrowser,
  options: PdfOptions & { signal?: AbortSignal; onStart?: (job: PdfJob) => void; onResult?: (result: PdfResult) => void },
): Promise<PdfResult[]> {
  if (jobs.length === 0) return [];
  const inFlight = new Set<string>();
  // The decks being printed, or all of them when the browser died before any started.
  const printing = (): string[] => (inFlight.size ? [...inFlight] : jobs.map((j) => j.summary.file));
  let crashed!: (err: DeckError) => void;
  const crash = new Promise<never>((_, reject) => (crashed = reject));
  crash.catch(() => undefined);
  const onDisconnect = (): void =>
    crashed(
      new DeckError('BROWSER_CRASHED', `the browser stopped while printing ${printing().join(', ')}`, {
        pos: { file: printing()[0]! },
        hint: 'run `lectern doctor` to check the browser; low memory (/dev/shm) is a common cause',
      }),
    );
  browser.browser.once('disconnected', onDisconnect);
  // An interrupt while a page is still opening must not wait for the page.
  const aborted = new Promise<never>((_, reject) => {
    const fail = (): void => reject(new DeckError('INTERRUPTED', 'interrupted; the previous output is unchanged'));
    if (options.signal?.aborted) fail();
    else options.signal?.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  // It may have died before this run got to it (while the decks were being built).
  if (!browser.browser.connected) onDisconnect();

  const results: PdfResult[] = [];
  const errors: DeckError[] = [];
  const queue = [...jobs];
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), jobs.length));

  const worker = async (_: unknown, index: number): Promise<void> => {
    let page: PrintPage | null = null;
    try {
      for (let job = queue.shift(); job && errors.length === 0; job = queue.shift()) {
        inFlight.add(job.summary.file);
        options.onStart?.(job);
        try {
          page ??= await Promise.race([openPrintPage(browser.browser, index > 0), crash, aborted]);
          const result = await Promise.race([printOne(page, job, options), crash]);
          results.push(result);
          options.onResult?.(result);
        } catch (err) {
          errors.push(err instanceof DeckError ? err : wrapFailure(err, job));
          await page?.close();
          page = null;
        } finally {
          inFlight.delete(job.summary.file);
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
  return jobs.map((job) => results.find((r) => r.name === job.summary.name)!);
}

async function printOne(page: PrintPage, job: PdfJob, options: PdfOptions & { signal?: AbortSignal }): Promise<PdfResult> {
  const started = performance.now();
  const { summary } = job;
  const server = await serveDeckFolder(job.folder);
  try {
    const printed = await page.print(server.origin, summary.file, {
      notes: options.notes ?? false,
      fragments: options.fragments ?? false,
      allowRemote: options.allowRemote ?? false,
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
      signal: options.signal,
    });
    const warnings: Warning[] = [];
    for (const url of printed.blocked) {
      warnings.push({
        code: 'REQUEST_BLOCKED',
        message: `blocked a request to ${url}`,
        pos: { file: summary.file },
        hint: 'a built deck may only load its own files; --allow-remote lets http(s) through',
      });
    }
    for (const overflow of printed.overflows) {
      const slide = summary.slides[overflow.slide];
      warnings.push({
        code: 'SLIDE_OVERFLOW',
        message: `slide ${overflow.slide + 1}${slide?.title ? ` "${slide.title}"` : ''} overflows its page by ${overflow.by}px and is cut off in the PDF`,
        pos: { file: summary.file, line: slide?.line ?? 1, column: 1 },
        hint: 'split the slide, or shorten its content',
      });
    }
    let date = summary.date ? parseDeckDate(summary.date) : null;
    if (summary.date && !date) {
      warnings.push({
        code: 'PDF_DATE',
        message: `"${summary.date}" is not a date the PDF can carry; using the current time`,
        pos: { file: summary.file },
        hint: 'write the date as YYYY-MM-DD for a PDF that is the same on every build',
      });
    }
    date ??= new Date();
    const firstPage = new Map<number, number>();
    printed.pages.forEach((page, index) => {
      if (page.kind === 'slide' && !firstPage.has(page.slide)) firstPage.set(page.slide, index);
    });
    const finished = await finishPdf(
      printed.pdf,
      { title: summary.title, author: summary.author, subject: summary.subtitle, keywords: summary.keywords, lang: summary.lang, date },
      bookmarksFor(summary.slides, (slide) => firstPage.get(slide)),
    );
    writeFileAtomic(job.output, finished.bytes);
    if (summary.thumbnail) writeFileAtomic(join(dirname(job.output), summary.thumbnail), printed.thumbnail);
    return {
      name: summary.name,
      file: summary.file,
      path: job.output,
      pages: finished.pages,
      bytes: finished.bytes.length,
      ms: performance.now() - started,
      warnings,
    };
  } finally {
    await server.close();
  }
}

function wrapFailure(err: unknown, job: PdfJob): DeckError {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  const crashed = /Target closed|Session closed|Protocol error|Connection closed|browser has disconnected/i.test(message);
  return new DeckError(crashed ? 'BROWSER_CRASHED' : 'PDF_FAILED', `${crashed ? 'the browser stopped while printing' : 'printing failed'}: ${message}`, {
    pos: { file: job.summary.file },
    hint: crashed ? 'run `lectern doctor` to check the browser' : 'run again with --debug for the full trace',
    cause: err,
  });
}
