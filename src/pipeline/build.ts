import { copyFileSync, existsSync, lstatSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { pdfReportsOverflow } from '../check/pdf-overflow.js';
import type { DeckLayer } from '../config/schema.js';
import { readDeckInk } from './ink.js';
import { handoutFileName, type PdfKind, pdfFileName, pdfFiles } from '../deck-layout.js';
import { DeckError, DeckErrors, type Finding } from '../errors.js';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import { lockOutput } from '../output/lock.js';
import { collectSummaries } from '../output/manifest.js';
import {
  intact,
  intactFolder,
  keptFindings,
  keepFindings,
  noteWritten,
  writeDecks,
  writeFileAtomic,
  writtenDigests,
} from '../output/write.js';
import type { PdfJob, PdfOptions, PdfResult } from '../pdf/export.js';
import type { PngOptions, PngResult } from '../png/export.js';
import type { PptxResult } from '../pptx/export.js';
import { renderIndexPage } from '../render/index-page.js';
import type { WrittenSingleFile } from './export-single.js';
import { closeBrowserSession, startBrowserSession, type BrowserSession } from './browser-session.js';
import { checkPrepared, failOnFindings } from './check.js';
import type { PreparedDeck } from './prepare-deck.js';
import { diagramDrawer } from './diagrams.js';
import { prepareProject } from './prepare-project.js';
import { timed } from '../timings.js';
import { readRegularText } from '../read-file.js';

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
  /** A picture of every slide into `<deck>/slides/` too (`formats: [png]`). */
  png?: PngOptions | false;
  /** A PowerPoint file into each deck's folder too (`formats: [pptx]`); `pictures` for one picture a slide. */
  pptx?: boolean | 'pictures';
  /** Each deck as one HTML file beside its folder too (`--single-file`, `formats: [single-file]`). */
  singleFile?: boolean;
  /** Run the browser checks too (`build --check`); the content checks always run. */
  check?: boolean;
  /** Warnings fail the build too, before anything is written (`build --strict`, for CI). */
  strict?: boolean;
  /** Build every deck, even those whose build digest says nothing changed (`--force`). */
  force?: boolean;
  /**
   * Only the decks of shard `index` of `count` (`--shard K/N`); the index page is left to a
   * final `lectern index`.
   */
  shard?: { index: number; count: number };
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
  /** Decks whose last build is still theirs (same build digest, files in place): not written again. */
  skipped: string[];
  /** Slide pictures made (for `formats: [png]`). */
  pngs: PngResult[];
  /** PowerPoint files written (for `formats: [pptx]`). */
  pptxs: PptxResult[];
  /** Single-file decks written (for `--single-file`). */
  singleFiles: WrittenSingleFile[];
  pdfs: PdfResult[];
  /** PDFs (and thumbnails) of decks that changed, printed from what they were before: removed. */
  removed: string[];
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
  const session =
    pdf || options.check || options.png || options.pptx || options.singleFile
      ? startBrowserSession(options.browser ?? {}, Boolean(pdf))
      : null;
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
  // The kind of PDF is no part of the digest: each kind has its own file, kept while the deck is unchanged.
  const buildTag = `${lecternVersion()}|remote:${options.browser?.allowRemote ?? false}`;
  // The deck's own PDF is the one its summary names; the others are printed beside it.
  const pdfKind: PdfKind | false = pdf ? pdfKinds(pdf)[0]! : false;
  const { outDir, prepared, errors } = await timed(
    'read, model, render, content checks',
    prepareProject({
      ...options,
      pdf: pdfKind,
      buildTag,
      drawDiagrams: diagramDrawer(session, options.browser ?? {}),
    }),
  );
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
  // Check findings at `error` stop the build before anything is written.
  failOnFindings(
    prepared.flatMap((p) => p.findings).map((w) => (options.strict ? { ...w, severity: 'error' as const } : w)),
  );
  if (options.singleFile) {
    const { assertSingleFileName } = await import('./export-single.js');
    for (const p of prepared) assertSingleFileName(p.deck.name, p.deck.file);
  }
  if (options.check && session) {
    const found = await checkPrepared(prepared, session, options.browser ?? {}, options.signal);
    prepared.forEach((p, i) => {
      p.findings.push(...found[i]!);
    });
    failOnFindings(found.flat());
  }

  let pdfs: PdfResult[] = [];
  let skipped: string[] = [];
  const removed: string[] = [];
  // What the outputs this run keeps said when they were made: said again, as if made now.
  const kept: Finding[] = [];
  const lock = await lockOutput(outDir, 60_000, options.signal, options.onLockWait);
  try {
    skipped = options.force ? [] : prepared.filter((p) => alreadyBuilt(outDir, p, pdf)).map((p) => p.deck.name);
    const changed = prepared.filter((p) => !skipped.includes(p.deck.name));
    const earlier = changed.map((p) => earlierFiles(outDir, p, pdf));
    await writeDecks(
      outDir,
      changed.map((p) => p.output),
      {
        signal: options.signal,
        // The PDFs are printed from the staged decks, so they are swapped in with them, or not at all.
        beforeSwap: async (staged) => {
          // What an unchanged deck printed before stays with it; a changed deck's is out of date.
          changed.forEach((p, i) => {
            const keep = earlier[i]!.keep.filter((file) => intact(p.dir, file));
            for (const file of keep) copyFileSync(join(p.dir, file), join(staged(p.deck.name), file));
            const said = keptFindings(p.dir, keep);
            kept.push(...Object.values(said).flat());
            if (keep.length)
              noteWritten(staged(p.deck.name), {
                ...writtenDigests(p.dir, keep),
                ...(Object.keys(said).length ? keepFindings(staged(p.deck.name), said) : {}),
              });
          });
          if (pdf && session?.exporter && changed.length)
            pdfs = await exportStaged(changed, staged, outDir, session, { ...options, pdf }, (i) => earlier[i]!.keep);
          changed.forEach((p, i) => {
            for (const file of earlier[i]!.stale) removed.push(join(p.dir, file));
          });
        },
      },
    );
    if (!options.shard) writeIndex(outDir);
    // A deck skipped whole keeps every output that is still as it was written.
    for (const p of prepared)
      if (skipped.includes(p.deck.name)) kept.push(...Object.values(keptFindings(p.dir)).flat());
  } finally {
    lock.release();
  }
  // Pictures of the decks written now, and of kept ones that have none.
  let pngs: PngResult[] = [];
  if (options.png && session) {
    const folders = prepared
      .filter((p) => !skipped.includes(p.deck.name) || !intactFolder(p.dir, 'slides'))
      .map((p) => p.dir);
    const { exportPngsOf } = await import('./export-png.js');
    pngs = await exportPngsOf(folders, { browser: options.browser, png: options.png, signal: options.signal, session });
  }
  // PowerPoint files of the decks written now, and of kept ones that have none.
  let pptxs: PptxResult[] = [];
  if (options.pptx && session) {
    const folders = prepared
      .filter((p) => !skipped.includes(p.deck.name) || !intact(p.dir, `${p.deck.name}.pptx`))
      .map((p) => p.dir);
    const { exportPptxsOf } = await import('./export-pptx.js');
    pptxs = await exportPptxsOf(folders, {
      browser: options.browser,
      signal: options.signal,
      session,
      ...(options.pptx === 'pictures' ? { pictures: true } : {}),
    });
  }
  // One-file decks of the decks written now, and of kept ones that have none.
  let singleFiles: WrittenSingleFile[] = [];
  if (options.singleFile && session) {
    const folders = prepared
      .filter((p) => !skipped.includes(p.deck.name) || !intact(p.dir, `../${p.deck.name}.html`))
      .map((p) => p.dir);
    const { exportSingleFilesOf } = await import('./export-single.js');
    singleFiles = await exportSingleFilesOf(folders, { browser: options.browser, signal: options.signal, session });
  }
  return {
    outDir,
    decks: prepared,
    skipped,
    pngs,
    pptxs,
    singleFiles,
    pdfs,
    removed,
    warnings: [
      ...(lock.reclaimed ? [lock.reclaimed] : []),
      ...prepared.flatMap((p) => p.findings),
      ...kept,
      ...pdfs.flatMap((r) => r.warnings),
      ...pngs.flatMap((r) => r.warnings),
      ...pptxs.flatMap((r) => r.warnings),
      ...singleFiles.flatMap((r) => r.warnings),
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
  kept: (index: number) => string[],
): Promise<PdfResult[]> {
  const inks = prepared.map((p) => (options.pdf.annotations ? readDeckInk(p.sources.file, p.deck.file) : null));
  const final = (r: PdfResult): PdfResult => ({
    ...r,
    path: join(outDir, r.name, basename(r.path)),
    ...(r.handout ? { handout: { ...r.handout, path: join(outDir, r.name, basename(r.handout.path)) } } : {}),
  });
  const [exportPdfs, browser] = await Promise.all([session.exporter!, session.browser]);
  const results: PdfResult[] = [];
  // Each kind in a run of its own (its options are the run's), the deck's own PDF first, with
  // the handout; a kind an unchanged deck already has is kept, not printed again.
  for (const [k, kind] of pdfKinds(options.pdf).entries()) {
    const jobs: (PdfJob & { index: number })[] = prepared.flatMap((p, i) => {
      const file = pdfFileName(p.deck.name, kind);
      const have = kept(i);
      // The deck's own run also makes the thumbnail and the handout: it is skipped only with them.
      const whole =
        k > 0 ||
        (have.includes(p.summary.thumbnail ?? 'thumbnail.png') &&
          (!options.pdf.handout || have.includes(handoutFileName(p.deck.name))));
      if (whole && have.includes(file)) return [];
      return [
        {
          index: i,
          summary: p.summary,
          folder: staged(p.deck.name),
          output: join(staged(p.deck.name), file),
          reportOverflow: k === 0 && pdfReportsOverflow(p.deck, options.check ?? false),
          ...(inks[i]?.ink ? { ink: inks[i].ink } : {}),
        },
      ];
    });
    if (!jobs.length) continue;
    options.progress?.start(jobs.map((j) => ({ name: j.summary.name, slideCount: j.summary.slideCount })));
    const run = await exportPdfs(jobs, browser, {
      ...pdfRun(options.browser, { ...options.pdf, notes: kind.notes, fragments: kind.fragments }),
      ...(k > 0 ? { handout: undefined } : {}),
      signal: options.signal,
      onStart: (job) => options.progress?.begin?.(job.summary),
      onResult: (r) => options.progress?.done(final(r)),
    });
    run.forEach((r, j) => {
      const warnings = k === 0 ? (inks[jobs[j]!.index]?.warnings ?? []) : [];
      results.push({ ...final(r), warnings: [...warnings, ...r.warnings] });
    });
  }
  return results;
}

/**
 * The PDFs a run prints of each deck: the deck's own first (the one its summary names: with
 * `--annotations`, the talk's drawing on it), then, beside it, the one with notes pages or a page
 * per step that `--pdf-notes`, `--pdf-fragments` or `formats:` ask for. Formats add up.
 */
export function pdfKinds(pdf: PdfOptions): PdfKind[] {
  const annotations = pdf.annotations ?? false;
  const main: PdfKind = { notes: false, fragments: false, annotations };
  const beside =
    pdf.beside ??
    (pdf.notes || pdf.fragments ? [{ notes: pdf.notes ?? false, fragments: pdf.fragments ?? false }] : []);
  const kinds = [main];
  for (const kind of beside)
    if ((kind.notes || kind.fragments) && !kinds.some((k) => k.notes === kind.notes && k.fragments === kind.fragments))
      kinds.push({ ...kind, annotations });
  return kinds;
}

/** The index page of an output folder, from the deck.json of every deck in it. */
function writeIndex(outDir: string): void {
  writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
}

/**
 * `lectern index`: the index page of an output folder that sharded builds filled (one shard per
 * machine, their folders put together), from the decks' deck.json files. Returns how many decks
 * it lists.
 */
export async function buildIndex(options: {
  projectDir: string;
  outDir?: string;
  signal?: AbortSignal;
}): Promise<{ outDir: string; decks: number }> {
  const { loadProjectConfig } = await import('../config/load-config.js');
  const outDir = resolve(
    options.projectDir,
    options.outDir ?? loadProjectConfig(resolve(options.projectDir)).config.out ?? 'dist',
  );
  if (!existsSync(outDir)) {
    throw new DeckError('INPUT_MISSING', `${outDir} does not exist: there is nothing to index`, {
      hint: 'build the decks first (lectern build --shard k/n on each machine), then put their output folders together',
    });
  }
  if (existsSync(join(outDir, 'deck.json'))) {
    throw new DeckError(
      'OUTPUT_NOT_OURS',
      `${outDir} is a deck's folder, not an output folder: its index.html is the deck`,
      {
        hint: 'give the folder that holds the deck folders, such as --out dist',
      },
    );
  }
  const lock = await lockOutput(outDir, 60_000, options.signal);
  try {
    assertOwned(outDir, readOutputRecord(outDir), [], ['index.html']);
    writeIndex(outDir);
    return { outDir, decks: collectSummaries(outDir).length };
  } finally {
    lock.release();
  }
}

/**
 * Whether a deck's last build is still in place and still its build: the same digest in its
 * deck.json, the same page on disk, and the PDF and thumbnail there when the build makes them.
 */
function alreadyBuilt(outDir: string, p: PreparedDeck, pdf: PdfOptions | false): boolean {
  const dir = join(outDir, p.deck.name);
  try {
    const before = JSON.parse(readRegularText(join(dir, 'deck.json'))) as { build?: unknown };
    if (before.build !== p.summary.build) return false;
    // Every file still byte for byte what the build wrote (its digest on record): one deleted,
    // cut short or damaged since is written again. (deck.json names the PDF of the build that
    // wrote it, and is rewritten with the PDF: its digest is the deck's, compared above.)
    const names = [
      ...p.output.files.map((f) => f.path).filter((f) => f !== 'deck.json'),
      ...p.output.copies.map((c) => c.to),
      ...(pdf ? [...pdfKinds(pdf).map((k) => pdfFileName(p.deck.name, k)), p.summary.thumbnail!] : []),
      ...(handoutOf(pdf) ? [handoutFileName(p.deck.name)] : []),
    ];
    return names.every((name) => intact(dir, name));
  } catch {
    return false;
  }
}

/**
 * The PDFs (and the thumbnail) a deck's folder holds from earlier builds, for a deck built again
 * now: kept when they were printed from the same deck (the same digest) and this build prints
 * none of that name, out of date otherwise. The one this build prints is neither: it is new.
 */
function earlierFiles(outDir: string, p: PreparedDeck, pdf: PdfOptions | false): { keep: string[]; stale: string[] } {
  const dir = join(outDir, p.deck.name);
  let digest: unknown;
  try {
    digest = (JSON.parse(readRegularText(join(dir, 'deck.json'))) as { build?: unknown }).build;
  } catch {
    return { keep: [], stale: [] };
  }
  const printing = new Set(
    [
      ...(pdf ? pdfKinds(pdf).map((k) => pdfFileName(p.deck.name, k)) : []),
      p.summary.thumbnail,
      handoutOf(pdf) ? handoutFileName(p.deck.name) : undefined,
    ].filter((f): f is string => Boolean(f)),
  );
  // Only files Lectern wrote there: a link put in their place is neither kept nor followed.
  const there = [...pdfFiles(p.deck.name).map((f) => f.file), 'thumbnail.png'].filter((f) => {
    try {
      return lstatSync(join(dir, f)).isFile();
    } catch {
      return false;
    }
  });
  // Of the same deck, every one is kept (the run prints only what is missing); of an earlier
  // deck, those this run does not print again are out of date.
  return digest === p.summary.build
    ? { keep: there.filter((f) => intact(dir, f)), stale: [] }
    : { keep: [], stale: there.filter((f) => !printing.has(f)) };
}

/** How many slides a sheet of the handout the run prints holds; undefined for none. */
function handoutOf(pdf: PdfOptions | false): PdfOptions['handout'] {
  return pdf === false ? undefined : pdf.handout;
}

/** Lectern's version (`lectern --version`), part of every build digest: a new Lectern builds every deck again. */
export function lecternVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

/** Builds one deck file (and refreshes the index). */
export async function buildDeck(file: string, options: Omit<BuildOptions, 'inputs'>): Promise<PreparedDeck> {
  const result = await buildAll({ ...options, inputs: [file] });
  return result.decks[0]!;
}

/** What a PDF run takes of the browser's options and the PDF's, field by field. */
export function pdfRun(browser: BrowserOptions = {}, pdf: PdfOptions = {}): PdfOptions & BrowserOptions {
  const { concurrency, timeoutMs, allowRemote } = browser;
  return {
    concurrency,
    timeoutMs,
    allowRemote,
    notes: pdf.notes,
    fragments: pdf.fragments,
    handout: pdf.handout,
    paper: pdf.paper,
    annotations: pdf.annotations,
  };
}
