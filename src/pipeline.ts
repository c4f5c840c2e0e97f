import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { planAssets, type FileCopy } from './assets/plan.js';
import { loadProjectConfig } from './config/load-config.js';
import { mergeDeckOptions, projectDefaults, type DeckLayer } from './config/schema.js';
import { DeckError, DeckErrors, toDeckError, type SourcePos, type Warning } from './errors.js';
import { buildModel } from './model/build-model.js';
import type { Deck } from './model/types.js';
import { lexOutline, parseOutline } from './outline/parse-outline.js';
import { readDeckFile } from './outline/read.js';
import { renderIndexPage, type DeckSummary } from './render/index-page.js';
import { compileTemplate, type CompiledTemplate } from './render/render-deck.js';
import { loadTemplate, resolveTemplateDir } from './render/template.js';
import { writeDecks, writeFileAtomic, type DeckOutput } from './output/write.js';
import { openBrowser, resolveBrowser, type LaunchedBrowser } from './export/browser.js';
import type { PdfOptions, PdfResult } from './export/export-pdfs.js';

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
  signal?: AbortSignal;
  progress?: PdfProgress;
}

/** Hooks a reporter uses to show PDF export as it happens. */
export interface PdfProgress {
  start: (decks: { name: string; slideCount: number }[]) => void;
  done: (result: PdfResult) => void;
}

export interface BuiltDeck {
  deck: Deck;
  /** Absolute path of the deck's output folder. */
  dir: string;
  summary: DeckSummary;
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
  const opening = pdf ? startBrowser(pdf) : null;
  try {
    return await buildWith(options, pdf, opening);
  } finally {
    if (opening) await closeStarted(opening);
  }
}

async function buildWith(options: BuildOptions, pdf: PdfOptions | false, opening: StartedBrowser | null): Promise<BuildResult> {
  const projectDir = resolve(options.projectDir);
  const { config } = loadProjectConfig(projectDir);
  const { decks: decksDir = projectDefaults.decks, out = projectDefaults.out, ...configDeckLayer } = config;
  const outDir = resolve(projectDir, options.outDir ?? out);
  const files = findDeckFiles(projectDir, options.inputs?.length ? options.inputs : [decksDir]);
  const templates = new Map<string, CompiledTemplate>();
  const revealDir = findReveal();

  const prepared: { built: BuiltDeck; output: DeckOutput }[] = [];
  const errors: DeckError[] = [];
  for (const file of files) {
    try {
      prepared.push(
        prepareDeck(file, { projectDir, outDir, configDeckLayer, flags: options.flags ?? {}, templates, revealDir, pdf: options.pdf !== false }),
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
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);

  let pdfs: PdfResult[] = [];
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
      pdfs = (await exportPdfs(jobs, browser, { ...pdf, signal: options.signal, onResult: (r) => options.progress?.done(final(r)) })).map(final);
    },
  });
  writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  const decks = prepared.map((p) => p.built);
  return { outDir, decks, pdfs, warnings: [...decks.flatMap((d) => d.deck.warnings), ...pdfs.flatMap((r) => r.warnings)] };
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
  const summary = readSummary(manifest);
  const pdfName = `${summary.name}.pdf`;
  const opening = startBrowser(options.pdf ?? {});
  let result: PdfResult;
  try {
    options.progress?.start([{ name: summary.name, slideCount: summary.slideCount }]);
    const [exportPdfs, browser] = await Promise.all([opening.exporter, opening.browser]);
    [result] = (await exportPdfs([{ summary, folder, output: join(folder, pdfName) }], browser, {
      ...options.pdf,
      signal: options.signal,
      onResult: options.progress?.done,
    })) as [PdfResult];
  } finally {
    await closeStarted(opening);
  }
  if (summary.pdf !== pdfName) writeFileAtomic(manifest, `${JSON.stringify({ ...summary, pdf: pdfName }, null, 2)}\n`);
  const outDir = dirname(folder);
  writeFileAtomic(join(outDir, 'index.html'), renderIndexPage(collectSummaries(outDir)));
  return result;
}

/** Builds one deck file (and refreshes the index). */
export async function buildDeck(file: string, options: Omit<BuildOptions, 'inputs'>): Promise<BuiltDeck> {
  const result = await buildAll({ ...options, inputs: [file] });
  return result.decks[0]!;
}

interface PrepareContext {
  projectDir: string;
  outDir: string;
  configDeckLayer: DeckLayer;
  flags: DeckLayer;
  templates: Map<string, CompiledTemplate>;
  revealDir: string;
  pdf: boolean;
}

function prepareDeck(path: string, ctx: PrepareContext): { built: BuiltDeck; output: DeckOutput } {
  const file = display(ctx.projectDir, path);
  const outline = parseOutline(readDeckFile(path, file), file);
  const options = mergeDeckOptions(ctx.configDeckLayer, outline.frontMatter, ctx.flags);
  const compiled = templateFor(options.template, ctx);
  const name = basename(path, extname(path));
  const deck = buildModel({ name, file, options, slides: lexOutline(outline, options.slideLevel), layouts: compiled.layoutNames });
  const html = compiled.render(deck);
  const deckDir = dirname(path);
  const copies = planAssets({
    deck,
    deckDir,
    templateDir: compiled.template.dir,
    templateAssets: compiled.template.assets,
    revealDir: ctx.revealDir,
  });
  checkCopies(copies, deckDir);
  const summary: DeckSummary = {
    name,
    file,
    title: deck.meta.title,
    subtitle: deck.meta.subtitle,
    author: deck.meta.author,
    date: deck.meta.date,
    lang: deck.meta.lang,
    keywords: options.keywords ?? [],
    slideCount: deck.slideCount,
    slides: deck.stacks.flatMap((s) => s.slides).map((s) => ({ title: s.titleText, layout: s.layout, line: s.pos.line ?? 1 })),
    ...(ctx.pdf ? { pdf: `${name}.pdf` } : {}),
  };
  return {
    built: { deck, dir: join(ctx.outDir, name), summary },
    output: {
      name,
      files: [
        { path: 'index.html', content: html },
        { path: 'deck.json', content: `${JSON.stringify(summary, null, 2)}\n` },
      ],
      copies,
    },
  };
}

function templateFor(name: string, ctx: PrepareContext): CompiledTemplate {
  const dir = resolveTemplateDir(name, ctx.projectDir);
  let compiled = ctx.templates.get(dir);
  if (!compiled) {
    compiled = compileTemplate(loadTemplate(name, dir));
    ctx.templates.set(dir, compiled);
  }
  return compiled;
}

/** Every file a deck asks for must exist, and links must not lead out of the deck's folder. */
function checkCopies(copies: FileCopy[], deckDir: string): void {
  const root = realpathSync(deckDir);
  for (const copy of copies) {
    if (!copy.pos) {
      if (!existsSync(copy.from)) {
        throw new DeckError('RUNTIME_MISSING', `Lectern's file ${copy.from} is missing`, { hint: 'run `npm run setup` to reinstall dependencies' });
      }
      continue;
    }
    if (!existsSync(copy.from) || !statSync(copy.from).isFile()) {
      throw new DeckError('ASSET_MISSING', `image "${copy.to}" not found`, {
        pos: copy.pos,
        hint: `the path is relative to the deck file's folder (${deckDir})`,
      });
    }
    const real = realpathSync(copy.from);
    if (real !== root && !real.startsWith(root + sep)) {
      throw new DeckError('ASSET_OUTSIDE', `"${copy.to}" links to a file outside the deck's folder`, {
        pos: copy.pos,
        hint: 'copy the file into the deck folder instead of linking to it',
      });
    }
  }
}

function findDeckFiles(projectDir: string, inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const path = resolve(projectDir, input);
    if (!existsSync(path)) {
      throw new DeckError('INPUT_MISSING', `no such file or folder: ${input}`, {
        hint: 'give deck files (.md) or folders that hold them',
      });
    }
    if (statSync(path).isDirectory()) {
      const decks = readdirSync(path)
        .filter((entry) => entry.endsWith('.md') && !/^readme\.md$/i.test(entry))
        .sort()
        .map((entry) => join(path, entry));
      if (decks.length === 0) {
        throw new DeckError('INPUT_MISSING', `no .md decks in ${input}`, { hint: 'a deck is a Markdown file with a `.md` name' });
      }
      files.push(...decks);
    } else {
      files.push(path);
    }
  }
  return [...new Set(files)];
}

/** Summaries of every deck in the output folder, built now or before. */
function collectSummaries(outDir: string): DeckSummary[] {
  const out: DeckSummary[] = [];
  for (const entry of readdirSync(outDir)) {
    const manifest = join(outDir, entry, 'deck.json');
    if (!existsSync(manifest)) continue;
    try {
      const summary = readSummary(manifest);
      // The index links a PDF only when it is really there.
      if (summary.pdf && !existsSync(join(outDir, entry, summary.pdf))) delete summary.pdf;
      out.push(summary);
    } catch {
      // A damaged manifest of an old build only drops that deck from the index.
    }
  }
  return out;
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
    browser: openBrowser(source),
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

function readSummary(manifest: string): DeckSummary {
  try {
    return JSON.parse(readFileSync(manifest, 'utf8')) as DeckSummary;
  } catch (err) {
    throw new DeckError('INPUT_MISSING', `cannot read ${manifest}: ${(err as Error).message}`, {
      hint: 'build the deck again with `lectern build`',
      cause: err,
    });
  }
}

function findReveal(): string {
  try {
    const main = createRequire(import.meta.url).resolve('reveal.js');
    return dirname(dirname(main));
  } catch (err) {
    throw new DeckError('RUNTIME_MISSING', 'the reveal.js package is not installed', {
      hint: 'run `npm run setup` (or `npm ci`) in the Lectern folder',
      cause: err,
    });
  }
}

/** Errors raised without a position (a missing template, say) point at the deck that asked. */
function withPosition(err: DeckError, pos: SourcePos): DeckError {
  if (err.pos) return err;
  return new DeckError(err.code, err.message, { pos, hint: err.hint, cause: err.cause ?? err });
}

function display(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}
