import { basename, dirname, join } from 'node:path';
import type { Finding } from '../errors.js';
import { resolveRules, ruleOfCheckpoint } from '../config/check-rules.js';
import { digestOf, keepFindings, noteWritten, writeFileAtomic } from '../output/write.js';
import { checkPdfUa, type UaProblem } from './ua-check.js';
import type { DeckSummary } from '../model/summary.js';
import type { InkFile } from '../model/ink.js';
import type { BrowserOptions } from '../browser/find.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { clippedHint, clippedName } from '../browser/measure-slide.js';
import { linesShown, missingGlyphs } from '../check/findings.js';
import { blockedRequests } from '../browser/routed-page.js';
import { type DeckFiles, folderFiles } from '../browser/deck-files.js';
import { bookmarksFor, compactPdf, finishPdf, loadPdf, parseDeckDate } from './finish.js';
import type { Bookmark, PdfInfo } from './append.js';
import { runOnPages } from '../browser/page-pool.js';
import { openPrintPage, type PrintPage } from './print.js';
import { timed, timedSync } from '../timings.js';
import { handoutFileName } from '../deck-layout.js';
import { type HandoutSlides, type Paper, paperForLang } from './handout.js';

/** What the PDF holds, beyond one page per slide. */
export interface PdfOptions {
  /** Speaker notes on a page of their own after each slide that has notes. */
  notes?: boolean;
  /** One page per fragment step instead of one page per slide. */
  fragments?: boolean;
  /** A handout too, `<deck>-handout.pdf`: this many slides a sheet. */
  handout?: HandoutSlides;
  /** The handout's paper (default: from each deck's `lang`). */
  paper?: Paper;
  /** The speaker's drawing from `lectern present` on its slides, into `<deck>-annotated.pdf`. */
  annotations?: boolean;
  /**
   * For a build: the PDFs printed beside the deck's own (`formats: [pdf-notes, pdf-fragments]`,
   * each its own file); without it, the one `notes` and `fragments` describe together.
   */
  beside?: { notes: boolean; fragments: boolean }[];
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
  /** What the speaker drew during the talk, drawn on its slides' pages (`--annotations`). */
  ink?: InkFile;
}

export interface PdfResult {
  name: string;
  file: string;
  path: string;
  pages: number;
  bytes: number;
  ms: number;
  warnings: Finding[];
  /** The handout written beside the PDF, when one was asked for. */
  handout?: { path: string; pages: number; bytes: number; perPage: HandoutSlides; paper: Paper };
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
  const { printed, finished, problems, thumbnail, date, warnings } = await printFinished(
    page,
    folderFiles(job.folder),
    summary,
    options,
    job.reportOverflow !== false,
    true,
    job.ink,
  );
  // The PDF read back as a reader of tagged PDFs would: each problem at its slide.
  warnings.push(...structureWarnings(problems, summary, slideOfPage(printed)));
  timedSync('PDF write', () => writeFileAtomic(job.output, finished.bytes));
  if (summary.thumbnail) writeFileAtomic(join(dirname(job.output), summary.thumbnail), thumbnail);
  const handout = options.handout
    ? await printHandout(page, job, options.handout, options, date, warnings, problems)
    : undefined;
  noteWritten(dirname(job.output), {
    [basename(job.output)]: digestOf(finished.bytes),
    ...(summary.thumbnail ? { [summary.thumbnail]: digestOf(thumbnail) } : {}),
    ...(handout ? { [basename(handout.path)]: handout.digest } : {}),
    ...keepFindings(dirname(job.output), { [basename(job.output)]: warnings }),
  });
  return {
    name: summary.name,
    file: summary.file,
    path: job.output,
    pages: finished.pages,
    bytes: finished.bytes.length,
    ms: performance.now() - started,
    warnings,
    ...(handout ? { handout: handout.result } : {}),
  };
}

/** A deck built in memory, to print and read back without writing (`lectern check`). */
export interface PdfCheckJob {
  summary: DeckSummary;
  files: DeckFiles;
}

/**
 * `lectern check`'s PDF pass: prints each deck as its export would, in memory, and reads the PDF
 * back against PDF/UA-1. Writes nothing. Returns each deck's findings, in order.
 */
export async function checkPdfs(
  jobs: PdfCheckJob[],
  browser: LaunchedBrowser,
  options: Omit<PdfRunOptions, 'onStart' | 'onResult' | 'handout'>,
): Promise<Finding[][]> {
  const pages = {
    doing: 'printing',
    fileOf: (job: PdfCheckJob) => job.summary.file,
    open: (b: LaunchedBrowser) => openPrintPage(b, options.allowRemote),
  };
  return runOnPages(jobs, browser, {
    ...options,
    ...pages,
    run: async (page, job) => {
      // Overflow, glyphs and blocked requests are the browser checks' to report: only the structure here.
      const { printed, problems } = await printFinished(page, job.files, job.summary, options, false, false);
      return structureWarnings(problems, job.summary, slideOfPage(printed));
    },
  });
}

/** Prints a served deck and finishes its PDF (metadata, bookmarks); the warnings of the print. */
async function printFinished(
  page: PrintPage,
  files: DeckFiles,
  summary: DeckSummary,
  options: PdfRunOptions,
  reportOverflow: boolean,
  thumbnail = true,
  ink?: InkFile,
) {
  const printed = await page.print(files, summary.file, {
    ...(ink ? { ink } : {}),
    notes: options.notes ?? false,
    fragments: options.fragments ?? false,
    allowRemote: options.allowRemote ?? false,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
    thumbnail,
  });
  const warnings: Finding[] = reportOverflow ? blockedRequests(printed.blocked, summary.file) : [];
  for (const overflow of reportOverflow ? printed.overflows : []) {
    const slide = summary.slides[overflow.slide];
    const name = `slide ${overflow.slide + 1}${slide?.title ? ` "${slide.title}"` : ''}`;
    const what = clippedName(overflow.clipped);
    warnings.push({
      code: 'SLIDE_OVERFLOW',
      message: overflow.clipped
        ? `${name}: ${what} is cut off by ${overflow.by}px in the PDF${linesShown(overflow.lines)}`
        : `${name} overflows its page by ${overflow.by}px and is cut off in the PDF${overflow.line ? `: line ${overflow.line} on is off the page` : ''}`,
      // A clipped block is pointed at where it is written.
      pos: { file: summary.file, line: (overflow.clipped ? overflow.line : null) ?? slide?.line ?? 1, column: 1 },
      hint: overflow.clipped ? clippedHint(overflow.clipped, overflow.axis) : 'split the slide, or shorten its content',
    });
  }
  for (const g of reportOverflow ? printed.glyphs : []) {
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
  const finishing = finishChecked(
    printed.pdf,
    pdfInfo(summary, date),
    bookmarksFor(summary.slides, (slide) => firstPage.get(slide)),
  );
  const [{ finished, problems }, picture] = await Promise.all([finishing, printed.thumbnail]);
  return { printed, finished, problems, thumbnail: picture, date, warnings };
}

/**
 * Finishes a printed PDF, reads it back against PDF/UA-1 (`checkPdfUa`) and packs it
 * (`compactPdf`): one parse serves both. The PDF says it is PDF/UA-1 (`pdfuaid:part` in its
 * XMP) only when the read-back finds nothing; otherwise it is finished again without the claim.
 * Each problem is returned with its page.
 */
async function finishChecked(
  raw: Uint8Array,
  info: PdfInfo,
  bookmarks: Bookmark[],
): Promise<{ finished: { bytes: Uint8Array; pages: number }; problems: UaProblem[] }> {
  const finish = (pdfUa: boolean) =>
    timed('PDF finish (metadata, bookmarks)', finishPdf(raw, { ...info, pdfUa }, bookmarks));
  const claimed = await finish(true);
  let doc = await timed('PDF read back (parse)', loadPdf(claimed.bytes));
  const problems = await timed('PDF/UA checks', checkPdfUa(doc));
  if (problems.length) doc = await timed('PDF read back (parse)', loadPdf((await finish(false)).bytes));
  const bytes = await timed('PDF pack (object streams)', compactPdf(doc));
  return { finished: { bytes, pages: claimed.pages }, problems };
}

/** What the PDF says of itself, from the deck's summary. */
function pdfInfo(summary: DeckSummary, date: Date): PdfInfo {
  return {
    title: summary.title,
    author: summary.author,
    subject: summary.subtitle,
    keywords: summary.keywords,
    lang: summary.lang,
    date,
  };
}

/** Which slide each page of a printed deck shows (none for a notes page). */
function slideOfPage(printed: { pages: { kind: 'slide' | 'notes'; slide: number }[] }) {
  return (page: number): number | undefined => {
    const at = printed.pages[page];
    return at?.kind === 'slide' ? at.slide : undefined;
  };
}

/** Lays the printed deck out as a handout in the same page, prints, finishes and writes it beside the PDF. */
async function printHandout(
  page: PrintPage,
  job: PdfJob,
  perPage: HandoutSlides,
  options: PdfRunOptions,
  date: Date,
  warnings: Finding[],
  deckProblems: UaProblem[],
): Promise<{ path: string; digest: string; result: NonNullable<PdfResult['handout']> }> {
  const { summary } = job;
  const paper = options.paper ?? paperForLang(summary.lang);
  const laidOut = await page.handout(perPage, paper, summary.title, {
    deckFile: summary.file,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
  });
  const sheetOf = new Map<number, number>();
  laidOut.sheets.forEach((slides, sheet) => {
    for (const slide of slides) sheetOf.set(slide, sheet);
  });
  const { finished, problems: found } = await finishChecked(
    laidOut.pdf,
    pdfInfo(summary, date),
    bookmarksFor(summary.slides, (slide) => sheetOf.get(slide)),
  );
  for (const slide of laidOut.cut) {
    const s = summary.slides[slide];
    warnings.push({
      code: 'HANDOUT_NOTES_CUT',
      message: `slide ${slide + 1}${s?.title ? ` "${s.title}"` : ''}: its notes do not fit beside it in the handout, even in 7-point type, and are cut off`,
      pos: { file: summary.file, line: s?.line ?? 1, column: 1 },
      hint: 'shorten the notes, or print them whole with --pdf-notes',
    });
  }
  // What the deck's PDF showed already is not said again for its handout.
  const said = new Set(deckProblems.map((p) => `${p.checkpoint} ${p.message}`));
  const problems = found.filter((p) => !said.has(`${p.checkpoint} ${p.message}`));
  warnings.push(...structureWarnings(problems, summary, (sheet) => laidOut.sheets[sheet]?.[0], 'the handout'));
  const path = join(dirname(job.output), handoutFileName(summary.name));
  timedSync('PDF write', () => writeFileAtomic(path, finished.bytes));
  return {
    path,
    digest: digestOf(finished.bytes),
    result: { path, pages: finished.pages, bytes: finished.bytes.length, perPage, paper },
  };
}

/**
 * PDF/UA problems as findings at the slide of the page they are on (`slideOf` a page index), each
 * by the deck's rule for it (`ruleOfCheckpoint`): off drops it, error makes it one.
 */
function structureWarnings(
  problems: UaProblem[],
  summary: DeckSummary,
  slideOf: (page: number) => number | undefined,
  inWhat?: string,
): Finding[] {
  const active = resolveRules(summary.checks ?? {});
  return problems.flatMap((problem): Finding[] => {
    const rule = ruleOfCheckpoint(problem.checkpoint);
    const { severity } = active[rule];
    if (severity === 'off') return [];
    const index = problem.page === null ? undefined : slideOf(problem.page);
    const slide = index === undefined ? undefined : summary.slides[index];
    const where = index === undefined ? '' : `slide ${index + 1}${slide?.title ? ` "${slide.title}"` : ''}: `;
    return [
      {
        code: 'PDF_ACCESSIBILITY',
        rule,
        severity,
        message: `${where}${problem.message}${inWhat ? ` in ${inWhat}` : ''} (PDF/UA, Matterhorn ${problem.checkpoint})`,
        pos: { file: summary.file, ...(slide ? { line: slide.line, column: 1 } : {}) },
        hint: 'see "Accessible structure" in docs/pdf.md',
      },
    ];
  });
}
