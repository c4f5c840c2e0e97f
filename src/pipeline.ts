import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { DeckLayer } from './config/schema.js';
import { DeckError, DeckErrors, toDeckError, type ErrorCode, type Warning } from './errors.js';
import { openBrowser, resolveBrowser, type LaunchedBrowser } from './export/browser.js';
import type { PdfOptions, PdfResult } from './export/export-pdfs.js';
import { findDeckFiles } from './outline/find-decks.js';
import { collectSummaries, readSummary } from './output/manifest.js';
import { lockOutput } from './output/lock.js';
import { updateDecks, writeDecks, writeFileAtomic, type DeckOutput } from './output/write.js';
import type { BuiltDeck } from './prepare-deck.js';
import { renderIndexPage } from './render/index-page.js';
import type { CompiledTemplate } from './render/render-deck.js';

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
  signal?: AbortSignal;
  progress?: PdfProgress;
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
  const opening = pdf || options.check ? startBrowser(pdf || {}) : null;
  try {
    return await buildWith(options, pdf, opening);
  } finally {
    if (opening) await closeStarted(opening);
  }
}

/** Every deck of a run through every stage up to the files to write; nothing is written. */
async function prepareProject(options: BuildOptions): Promise<{ outDir: string; prepared: PreparedDeck[]; errors: DeckError[] }> {
  // The build stages load here, after the browser has started launching: their start-up
  // overlaps with the browser's.
  const [{ loadProjectConfig }, { projectDefaults }, { display, findReveal, prepareDeck, withPosition }] = await Promise.all([
    import('./config/load-config.js'),
    import('./config/schema.js'),
    import('./prepare-deck.js'),
  ]);
  const projectDir = resolve(options.projectDir);
  const { config, locate: locateConfig } = loadProjectConfig(projectDir);
  const { decks: decksDir = projectDefaults.decks, out = projectDefaults.out, ...configDeckLayer } = config;
  const outDir = resolve(projectDir, options.outDir ?? out);
  const files = findDeckFiles(projectDir, options.inputs?.length ? options.inputs : [decksDir]);
  const templates = options.preview?.templates ?? new Map<string, CompiledTemplate>();
  const revealDir = findReveal();

  const prepared: PreparedDeck[] = [];
  const errors: DeckError[] = [];
  for (const file of files) {
    try {
      prepared.push(
        prepareDeck(file, { projectDir, outDir, configDeckLayer, locateConfig, flags: options.flags ?? {}, templates, revealDir, pdf: options.pdf !== false }),
      );
    } catch (err) {
      errors.push(withPosition(toDeckError(err), { file: display(projectDir, file) }));
    }
  }
  const names = new Map<string, string>();
  for (const { built } of prepared) {
    const other = names.get(built.deck.name);
    if (other) {
      errors.push(new DeckError('DECK_NAME_CLASH', `two decks would be written to ${built.deck.name}/: ${other} and ${built.deck.file}`, {
        pos: { file: built.deck.file },
        hint: 'rename one of the deck files',
      }));
    }
    names.set(built.deck.name, built.deck.file);
  }
  // A broken template fails every deck that uses it: say so once.
  const unique = errors.filter((e, i) => errors.findIndex((o) => o.code === e.code && o.message === e.message && JSON.stringify(o.pos) === JSON.stringify(e.pos)) === i);
  return { outDir, prepared, errors: unique };
}

async function buildWith(options: BuildOptions, pdf: PdfOptions | false, opening: StartedBrowser | null): Promise<BuildResult> {
  const { outDir, prepared, errors } = await prepareProject(options);
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
  // Check findings at `error` stop the build before anything is written; the preview shows them instead.
  if (!options.preview) failOnFindings(prepared.flatMap((p) => p.built.deck.warnings));
  if (options.check && opening) {
    const found = await checkPrepared(prepared, opening, pdf || {}, options.signal);
    prepared.forEach((p, i) => p.built.deck.warnings.push(...found[i]!));
    failOnFindings(found.flat());
  }

  let pdfs: PdfResult[] = [];
  const lock = await lockOutput(outDir, 60_000, options.signal);
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
      if (!pdf || !opening) return;
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
  const pdfName = `${readSummary(manifest).name}.pdf`;
  const summary = { ...readSummary(manifest), thumbnail: 'thumbnail.png' };
  const opening = startBrowser(options.pdf ?? {});
  let result: PdfResult;
  const lock = await lockOutput(dirname(folder));
  try {
    options.progress?.start([{ name: summary.name, slideCount: summary.slideCount }]);
    const [exportPdfs, browser] = await Promise.all([opening.exporter, opening.browser]);
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

type PreparedDeck = { built: BuiltDeck; output: DeckOutput };

/** Findings whose rule is set to `error` fail the run, as errors at their lines. */
function failOnFindings(findings: Warning[]): void {
  const errors = findings
    .filter((w) => w.severity === 'error')
    .map((w) => new DeckError(w.code as ErrorCode, w.message, { pos: w.pos, ...(w.hint ? { hint: w.hint } : {}) }));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
}

async function checkPrepared(prepared: PreparedDeck[], opening: StartedBrowser, pdf: PdfOptions, signal?: AbortSignal): Promise<Warning[][]> {
  const [{ checkInBrowser }, browser] = await Promise.all([import('./export/check-decks.js'), opening.browser]);
  return checkInBrowser(prepared.map((p) => ({ deck: p.built.deck, output: p.output })), browser, {
    concurrency: pdf.concurrency,
    timeoutMs: pdf.timeoutMs,
    allowRemote: pdf.allowRemote,
    signal,
  });
}

/** One deck as `lectern check` reports it: its findings, or the errors that kept it from building. */
export interface CheckedDeck {
  file: string;
  findings: Warning[];
  errors: DeckError[];
}

export interface CheckOptions {
  projectDir: string;
  inputs?: string[];
  flags?: DeckLayer;
  /** Browser options; false runs the content checks only. */
  browser?: PdfOptions | false;
  signal?: AbortSignal;
}

/**
 * `lectern check`: every deck built in memory and checked, content rules first, then the browser
 * rules in one browser. Writes nothing. A deck that does not build is reported with its errors.
 */
export async function checkAll(options: CheckOptions): Promise<CheckedDeck[]> {
  const browserOptions = options.browser === undefined ? {} : options.browser;
  const opening = browserOptions ? startBrowser(browserOptions) : null;
  try {
    const { prepared, errors } = await prepareProject({ projectDir: options.projectDir, inputs: options.inputs, flags: options.flags, pdf: false });
    const found = opening && prepared.length ? await checkPrepared(prepared, opening, browserOptions || {}, options.signal) : [];
    const decks: CheckedDeck[] = prepared.map((p, i) => ({ file: p.built.deck.file, findings: [...p.built.deck.warnings, ...(found[i] ?? [])], errors: [] }));
    for (const error of errors) {
      const file = error.pos?.file ?? 'lectern';
      const deck = decks.find((d) => d.file === file);
      if (deck) deck.errors.push(error);
      else decks.push({ file, findings: [], errors: [error] });
    }
    return decks.sort((a, b) => a.file.localeCompare(b.file));
  } finally {
    if (opening) await closeStarted(opening);
  }
}

/** A browser being opened, and the exporter being loaded, while other work goes on. */
interface StartedBrowser {
  browser: Promise<LaunchedBrowser>;
  exporter: Promise<typeof import('./export/export-pdfs.js').exportPdfs>;
}

/**
 * Finds the browser now (BROWSER_NOT_FOUND before anything is written) and starts it; the PDF
 * exporter and pdf-lib load only for runs that print, keeping HTML builds quick to start.
 */
function startBrowser(pdf: PdfOptions): StartedBrowser {
  const source = resolveBrowser(pdf);
  const started: StartedBrowser = {
    // No single browser call may outlast the deck's own deadline, which reports what it waited for.
    browser: openBrowser(source, (pdf.timeoutMs ?? 60_000) + 60_000),
    exporter: import('./export/export-pdfs.js').then((m) => m.exportPdfs),
  };
  // Failures surface where these are awaited; until then they must not go unhandled.
  started.browser.catch(() => undefined);
  started.exporter.catch(() => undefined);
  return started;
}

/** The browser of a run is closed on every path, whether or not it was ever used. */
async function closeStarted(started: StartedBrowser): Promise<void> {
  const browser = await started.browser.catch(() => null);
  await browser?.close().catch(() => undefined);
}
