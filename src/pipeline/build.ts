import { basename, join } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { pdfReportsOverflow } from '../check/pdf-overflow.js';
import type { DeckLayer } from '../config/schema.js';
import { DeckErrors, type Finding } from '../errors.js';
import { lockOutput } from '../output/lock.js';
import { collectSummaries } from '../output/manifest.js';
import { writeDecks, writeFileAtomic } from '../output/write.js';
import type { PdfJob, PdfOptions, PdfResult } from '../pdf/export.js';
import { renderIndexPage } from '../render/index-page.js';
import { closeBrowserSession, startBrowserSession, type BrowserSession } from './browser-session.js';
import { checkPrepared, failOnFindings } from './check.js';
import type { PreparedDeck } from './prepare-deck.js';
import { prepareProject } from './prepare-project.js';

export interface BuildOptions {
  /** The project root: config file, `templates/`, and the base of relative paths. */
  projectDir: string;
  /** Deck files or folders of decks; default: the config's `decks` folder. */
  inputs?: string[];
  /** Output folder; default: the config's `out` (`dist`). */
  outDir?: string;
  /** Options given on the command line: they override front matter. */
  flags?: DeckLayer;
  /** How to find and drive the browser, for the PDF and the browser checks. */
  browser?: BrowserOptions;
  /** Export `<deck>.pdf` beside each deck (false: HTML only). */
  pdf?: PdfOptions | false;
  /** Run the browser checks too (`build --check`); the content checks always run. */
  check?: boolean;
  /** Warnings fail the build too, before anything is written (`build --strict`, for CI). */
  strict?: boolean;
  signal?: AbortSignal;
  progress?: PdfProgress;
  /** Called once when the output folder has been held by another Lectern for a second. */
  onLockWait?: (pid: number) => void;
}

/** Hooks a reporter uses to show PDF export as it happens. */
export interface PdfProgress {
  start: (decks: { name: string; slideCount: number }[]) => void;
  /** A deck starts printing. */
  begin?: (deck: { name: string; file: string; slideCount: number }) => void;
  done: (result: PdfResult) => void;
}

export interface BuildResult {
  outDir: string;
  decks: PreparedDeck[];
  pdfs: PdfResult[];
  warnings: Finding[];
}

/**
 * Builds decks to HTML (and PDF). Every deck is parsed, modelled, rendered and checked before
 * anything is written; any error leaves the output folder exactly as it was.
 */
export async function buildAll(options: BuildOptions): Promise<BuildResult> {
  // A missing browser is known before anything is read or written; a found one starts
  // launching now, while the decks are built.
  const pdf = options.pdf === undefined ? {} : options.pdf;
  const session = pdf || options.check ? startBrowserSession(options.browser ?? {}, Boolean(pdf)) : null;
  try {
    return await buildWith(options, pdf, session);
  } finally {
    if (session) await closeBrowserSession(session);
  }
}

async function buildWith(
  options: BuildOptions,
  pdf: PdfOptions | false,
  session: BrowserSession | null,
): Promise<BuildResult> {
  const { outDir, prepared, errors } = await prepareProject({ ...options, pdf: Boolean(pdf) });
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
  // Check findings at `error` stop the build before anything is written.
  failOnFindings(
    prepared.flatMap((p) => p.findings).map((w) => (options.strict ? { ...w, severity: 'error' as const } : w)),
  );
  if (options.check && session) {
    const found = await checkPrepared(prepared, session, options.browser ?? {}, options.signal);
    prepared.forEach((p, i) => {
      p.findings.push(...found[i]!);
    });
    failOnFindings(found.flat());
  }

  let pdfs: PdfResult[] = [];
  const lock = await lockOutput(outDir, 60_000, options.signal, options.onLockWait);
  try {
    await writeDecks(
      outDir,
      prepared.map((p) => p.output),
      {
        signal: options.signal,
        // The PDFs are printed from the staged decks, so they are swapped in with them, or not at all.
        beforeSwap: async (staged) => {
          if (pdf && session?.exporter)
            pdfs = await exportStaged(prepared, staged, outDir, session, { ...options, pdf });
        },
      },
    );
    writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  } finally {
    lock.release();
  }
  return {
    outDir,
    decks: prepared,
    pdfs,
    warnings: [
      ...(lock.reclaimed ? [lock.reclaimed] : []),
      ...prepared.flatMap((p) => p.findings),
      ...pdfs.flatMap((r) => r.warnings),
    ],
  };
}

/** Prints every staged deck in the run's browser; results name the PDFs where they will be after the swap. */
async function exportStaged(
  prepared: PreparedDeck[],
  staged: (name: string) => string,
  outDir: string,
  session: BrowserSession,
  options: BuildOptions & { pdf: PdfOptions },
): Promise<PdfResult[]> {
  const jobs: PdfJob[] = prepared.map((p) => ({
    summary: p.summary,
    folder: staged(p.deck.name),
    output: join(staged(p.deck.name), p.summary.pdf!),
    reportOverflow: pdfReportsOverflow(p.deck, options.check ?? false),
  }));
  options.progress?.start(jobs.map((j) => ({ name: j.summary.name, slideCount: j.summary.slideCount })));
  const final = (r: PdfResult): PdfResult => ({ ...r, path: join(outDir, r.name, basename(r.path)) });
  const [exportPdfs, browser] = await Promise.all([session.exporter!, session.browser]);
  const results = await exportPdfs(jobs, browser, {
    ...pdfRun(options.browser, options.pdf),
    signal: options.signal,
    onStart: (job) => options.progress?.begin?.(job.summary),
    onResult: (r) => options.progress?.done(final(r)),
  });
  return results.map(final);
}

/** Builds one deck file (and refreshes the index). */
export async function buildDeck(file: string, options: Omit<BuildOptions, 'inputs'>): Promise<PreparedDeck> {
  const result = await buildAll({ ...options, inputs: [file] });
  return result.decks[0]!;
}

/** What a PDF run takes of the browser's options and the PDF's, field by field. */
export function pdfRun(browser: BrowserOptions = {}, pdf: PdfOptions = {}): PdfOptions & BrowserOptions {
  const { concurrency, timeoutMs, allowRemote } = browser;
  return { concurrency, timeoutMs, allowRemote, notes: pdf.notes, fragments: pdf.fragments };
}
