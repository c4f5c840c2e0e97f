import { basename, dirname, join } from 'node:path';
import type { Finding } from '../errors.js';
import { digestOf, noteWritten, writeFileAtomic } from '../output/write.js';
import { checkPdfUa } from './ua-check.js';
import type { DeckSummary } from '../model/summary.js';
import type { BrowserOptions } from '../browser/find.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { clippedName } from '../browser/measure-slide.js';
import { missingGlyphs } from '../check/findings.js';
import { blockedRequests } from '../browser/routed-page.js';
import { folderFiles } from '../browser/deck-files.js';
import { bookmarksFor, finishPdf, parseDeckDate } from './finish.js';
import { runOnPages } from '../browser/page-pool.js';
import { openPrintPage, type PrintPage } from './print.js';
import { timed, timedSync } from '../timings.js';

/** What the PDF holds, beyond one page per slide. */
export interface PdfOptions {
  /** Speaker notes on a page of their own after each slide that has notes. */
  notes?: boolean;
  /** One page per fragment step instead of one page per slide. */
  fragments?: boolean;
}

/** A PDF run: the browser's options, the PDF's, and hooks for progress. */
type PdfRunOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> &
  PdfOptions & { signal?: AbortSignal; onStart?: (job: PdfJob) => void; onResult?: (result: PdfResult) => void };

/** One deck to print: the built folder to serve and where the PDF goes. */
export interface PdfJob {
  summary: DeckSummary;
  /** Built deck folder (index.html and its files). */
  folder: string;
  /** Path of the PDF to write. */
  output: string;
  /** Whether the overflows measured in print are warnings of this export (default: yes). */
  reportOverflow?: boolean;
  /** Read the written PDF back against PDF/UA-1 (`build --check`): it costs a parse of the file. */
  checkStructure?: boolean;
}

export interface PdfResult {
  name: string;
  file: string;
  path: string;
  pages: number;
  bytes: number;
  ms: number;
  warnings: Finding[];
}

/** Prints decks to PDF in one open browser with a bounded pool of pages (see runOnPages). */
export async function exportPdfs(
  jobs: PdfJob[],
  browser: LaunchedBrowser,
  options: PdfRunOptions,
): Promise<PdfResult[]> {
  const pages = {
    doing: 'printing',
    fileOf: (job: PdfJob) => job.summary.file,
    open: (b: LaunchedBrowser) => openPrintPage(b, options.allowRemote),
  };
  return runOnPages(jobs, browser, { ...options, ...pages, run: (page, job) => printOne(page, job, options) });
}

async function printOne(page: PrintPage, job: PdfJob, options: PdfRunOptions): Promise<PdfResult> {
  const started = performance.now();
  const { summary } = job;
  {
    const printed = await page.print(folderFiles(job.folder), summary.file, {
      notes: options.notes ?? false,
      fragments: options.fragments ?? false,
      allowRemote: options.allowRemote ?? false,
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
      signal: options.signal,
    });
    const warnings: Finding[] = blockedRequests(printed.blocked, summary.file);
    for (const overflow of job.reportOverflow === false ? [] : printed.overflows) {
      const slide = summary.slides[overflow.slide];
      const name = `slide ${overflow.slide + 1}${slide?.title ? ` "${slide.title}"` : ''}`;
      const what = clippedName(overflow.clipped);
      warnings.push({
        code: 'SLIDE_OVERFLOW',
        message: overflow.clipped
          ? `${name}: ${what} is cut off by ${overflow.by}px in the PDF`
          : `${name} overflows its page by ${overflow.by}px and is cut off in the PDF${overflow.line ? `: line ${overflow.line} on is off the page` : ''}`,
        // A clipped block is pointed at where it is written.
        pos: { file: summary.file, line: (overflow.clipped ? overflow.line : null) ?? slide?.line ?? 1, column: 1 },
        hint: overflow.clipped
          ? 'shorten the long lines, or split the block over two slides'
          : 'split the slide, or shorten its content',
      });
    }
    for (const g of job.reportOverflow === false ? [] : printed.glyphs) {
      const slide = summary.slides[g.slide];
      const { message, hint } = missingGlyphs(g, `slide ${g.slide + 1}${slide?.title ? ` "${slide.title}"` : ''}`);
      warnings.push({
        code: 'MISSING_GLYPHS',
        message: `${message} in the PDF`,
        pos: { file: summary.file, line: g.line ?? slide?.line ?? 1, column: 1 },
        hint,
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
    // The thumbnail is being taken meanwhile; both are awaited before the page prints the next deck.
    const finishing = timed(
      'PDF finish (metadata, bookmarks)',
      finishPdf(
        printed.pdf,
        {
          title: summary.title,
          author: summary.author,
          subject: summary.subtitle,
          keywords: summary.keywords,
          lang: summary.lang,
          date,
        },
        bookmarksFor(summary.slides, (slide) => firstPage.get(slide)),
      ),
    );
    const [finished, thumbnail] = await Promise.all([finishing, printed.thumbnail]);
    // The PDF read back as a reader of tagged PDFs would: each problem at its slide.
    const structure = job.checkStructure ? await timed('PDF/UA checks', checkPdfUa(finished.bytes)) : [];
    for (const problem of structure) {
      const at = problem.page === null ? undefined : printed.pages[problem.page];
      const slide = at?.kind === 'slide' ? summary.slides[at.slide] : undefined;
      const where = at?.kind === 'slide' ? `slide ${at.slide + 1}${slide?.title ? ` "${slide.title}"` : ''}: ` : '';
      warnings.push({
        code: 'PDF_ACCESSIBILITY',
        message: `${where}${problem.message} (PDF/UA, Matterhorn ${problem.checkpoint})`,
        pos: { file: summary.file, ...(slide ? { line: slide.line, column: 1 } : {}) },
        hint: 'see "Accessible structure" in docs/pdf.md',
      });
    }
    timedSync('PDF write', () => writeFileAtomic(job.output, finished.bytes));
    if (summary.thumbnail) writeFileAtomic(join(dirname(job.output), summary.thumbnail), thumbnail);
    noteWritten(dirname(job.output), {
      [basename(job.output)]: digestOf(finished.bytes),
      ...(summary.thumbnail ? { [summary.thumbnail]: digestOf(thumbnail) } : {}),
    });
    return {
      name: summary.name,
      file: summary.file,
      path: job.output,
      pages: finished.pages,
      bytes: finished.bytes.length,
      ms: performance.now() - started,
      warnings,
    };
  }
}
