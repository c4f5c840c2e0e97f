import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { assertOwned, readOutputRecord } from '../output/ownership.js';
import { checkPrepared, failOnFindings } from './check.js';
import type { DeckLayer } from '../config/schema.js';
import { DeckError, DeckErrors, type Warning } from '../errors.js';
import type { PdfOptions, PdfResult } from '../pdf/export.js';
import { collectSummaries, readSummary } from '../output/manifest.js';
import { lockOutput } from '../output/lock.js';
import { updateDecks, writeDecks, writeFileAtomic } from '../output/write.js';
import type { BuiltDeck } from './prepare-deck.js';
import { prepareProject } from './prepare-project.js';
import { renderIndexPage } from '../render/index-page.js';
import type { CompiledTemplate } from '../render/compile-template.js';
import { closeStarted, startBrowser, type StartedBrowser } from './browser-session.js';

export type { BuiltDeck } from './prepare-deck.js';

export interface BuildOptions {
  /** The project root: config file, `templates/`, and the base of relative paths. */
  projectDir: string;
  /** Deck files or folders of decks; default: the config's `decks` folder. */
  inputs?: string[];
  /** Output folder; default: the config's `out` (`dist`). */
  outDir?: string;
  /** Options given on the command line: they override front matter. */
  flags?: DeckLayer;
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
  /**
   * For the preview server: compiled templates kept between builds (the caller clears the map
   * when a template changes), and deck folders updated in place instead of swapped whole.
   */
  preview?: { templates: Map<string, CompiledTemplate> };
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
  decks: BuiltDeck[];
  pdfs: PdfResult[];
  warnings: Warning[];
}

/**
 * Builds decks to HTML. Every deck is parsed, modelled, rendered and checked before anything
 * is written; any error leaves the output folder exactly as it was.
 */
export async function buildAll(options: BuildOptions): Promise<BuildResult> {
  // A missing browser is known before anything is read or written; a found one starts
  // launching now, while the decks are built.
  const pdf = options.pdf === undefined ? {} : options.pdf;
  const opening = pdf || options.check ? startBrowser(pdf || {}, Boolean(pdf)) : null;
  try {
    return await buildWith(options, pdf, opening);
  } finally {
    if (opening) await closeStarted(opening);
  }
}

async function buildWith(options: BuildOptions, pdf: PdfOptions | false, opening: StartedBrowser | null): Promise<BuildResult> {
  const { outDir, prepared, errors } = await prepareProject(options);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
  // Check findings at `error` stop the build before anything is written; the preview shows them instead.
  if (!options.preview) failOnFindings(prepared.flatMap((p) => p.built.deck.warnings).map((w) => (options.strict ? { ...w, severity: 'error' as const } : w)));
  if (options.check && opening) {
    const found = await checkPrepared(prepared, opening, pdf || {}, options.signal);
    prepared.forEach((p, i) => p.built.deck.warnings.push(...found[i]!));
    failOnFindings(found.flat());
  }

  let pdfs: PdfResult[] = [];
  const lock = await lockOutput(outDir, 60_000, options.signal, options.onLockWait);
  try {
    return await writeBuild();
  } finally {
    lock.release();
  }

  async function writeBuild(): Promise<BuildResult> {
  const lockWarnings = lock.reclaimed ? [lock.reclaimed] : [];
  if (options.preview) {
    updateDecks(outDir, prepared.map((p) => p.output));
    writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
    const decks = prepared.map((p) => p.built);
    return { outDir, decks, pdfs, warnings: [...lockWarnings, ...decks.flatMap((d) => d.deck.warnings)] };
  }
  await writeDecks(outDir, prepared.map((p) => p.output), {
    signal: options.signal,
    beforeSwap: async (staged) => {
      if (!pdf || !opening?.exporter) return;
      const jobs = prepared.map(({ built }) => ({
        summary: built.summary,
        folder: staged(built.deck.name),
        output: join(staged(built.deck.name), built.summary.pdf!),
      }));
      options.progress?.start(jobs.map((j) => ({ name: j.summary.name, slideCount: j.summary.slideCount })));
      const final = (r: PdfResult): PdfResult => ({ ...r, path: join(outDir, r.name, basename(r.path)) });
      const [exportPdfs, browser] = await Promise.all([opening.exporter, opening.browser]);
      pdfs = (await exportPdfs(jobs, browser, { ...pdf, signal: options.signal, onStart: (job) => options.progress?.begin?.(job.summary), onResult: (r) => options.progress?.done(final(r)) })).map(final);
      // The PDF's own overflow warning follows the deck's slide-overflow rule, and gives way to
      // the browser check's more precise one when both ran.
      pdfs = pdfs.map((r) => {
        const deck = prepared.find((p) => p.built.deck.name === r.name)!.built.deck;
        const keep = !options.check && deck.options.checks['slide-overflow']?.severity !== 'off';
        return { ...r, warnings: r.warnings.filter((w) => w.code !== 'SLIDE_OVERFLOW' || keep) };
      });
    },
  });
  writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  const decks = prepared.map((p) => p.built);
  return { outDir, decks, pdfs, warnings: [...lockWarnings, ...decks.flatMap((d) => d.deck.warnings), ...pdfs.flatMap((r) => r.warnings)] };
  }
}

/**
 * Exports the PDF of a deck that is already built (`lectern pdf dist/<deck>`), from its
 * deck.json. The PDF is replaced atomically; the index is refreshed.
 */
export async function exportBuiltDeck(folder: string, options: { pdf?: PdfOptions; signal?: AbortSignal; progress?: PdfProgress } = {}): Promise<PdfResult> {
  const manifest = join(folder, 'deck.json');
  if (!existsSync(manifest) || !existsSync(join(folder, 'index.html'))) {
    throw new DeckError('INPUT_MISSING', `${folder} is not a built deck (no deck.json and index.html)`, {
      hint: 'give a deck file (.md) or a folder that `lectern build` wrote',
    });
  }
  // Nothing read from a built folder is a path: the deck's name is its folder's.
  const name = basename(resolve(folder));
  const pdfName = `${name}.pdf`;
  const summary = { ...readSummary(manifest), name, thumbnail: 'thumbnail.png' };
  const opening = startBrowser(options.pdf ?? {}, true);
  let result: PdfResult;
  const lock = await lockOutput(dirname(folder), 60_000, options.signal);
  try {
    // The deck folder and the index beside it must be Lectern's own, as for a build.
    assertOwned(dirname(folder), readOutputRecord(dirname(folder)), [name], ['index.html'], { requireDecks: true });
    options.progress?.start([{ name: summary.name, slideCount: summary.slideCount }]);
    const [exportPdfs, browser] = await Promise.all([opening.exporter!, opening.browser]);
    [result] = (await exportPdfs([{ summary, folder, output: join(folder, pdfName) }], browser, {
      ...options.pdf,
      signal: options.signal,
      onStart: (job) => options.progress?.begin?.(job.summary),
      onResult: options.progress?.done,
    })) as [PdfResult];
    if (summary.pdf !== pdfName || !summary.thumbnail) {
      writeFileAtomic(manifest, `${JSON.stringify({ ...summary, pdf: pdfName, thumbnail: 'thumbnail.png' }, null, 2)}\n`);
    }
    const outDir = dirname(folder);
    writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  } finally {
    lock.release();
    await closeStarted(opening);
  }
  return result;
}

/** Builds one deck file (and refreshes the index). */
export async function buildDeck(file: string, options: Omit<BuildOptions, 'inputs'>): Promise<BuiltDeck> {
  const result = await buildAll({ ...options, inputs: [file] });
  return result.decks[0]!;
}

