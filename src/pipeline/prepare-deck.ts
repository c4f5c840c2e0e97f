import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { linkedFiles, linkTargets } from '../assets/linked-files.js';
import { mathFontFiles } from '../assets/math-fonts.js';
import { fitScript } from '../browser/fit-script.js';
import { type FileCopy, planAssets } from '../assets/plan.js';
import { escapeHtml } from '../html.js';
import type { DiagramCache } from '../assets/diagram-cache.js';
import type { RemoteCache } from '../assets/remote-cache.js';
import { resolveAssets, type ResolvedAssets } from '../assets/resolve.js';
import { deckStylesheets } from '../assets/stylesheets.js';
import { publishCopies } from '../assets/publish.js';
import { checkCopies } from '../assets/verify-copies.js';
import { checkColours } from '../check/colours.js';
import { checkContent } from '../check/content.js';
import type { DeckLayer } from '../config/schema.js';
import { readProjectHints, readToolConfig } from '../config/tool-config.js';
import { importLoader } from '../outline/imports.js';
import { collect } from '../config/yaml-layer.js';
import {
  append,
  bySourcePosition,
  capWarnings,
  DeckError,
  DeckErrors,
  type SourcePos,
  type Finding,
} from '../errors.js';
import { withoutNotes } from '../model/audience.js';
import { deckFrom, readOutline } from '../model/read-deck.js';
import type { DeckSummary } from '../model/summary.js';
import type { AssetRef, Deck } from '../model/types.js';
import { readDeckFile } from '../outline/read.js';
import type { DeckOutput } from '../output/write.js';
import { type PdfKind, pdfFileName, runtimeDir, runtimePaths } from '../deck-layout.js';
import { notesPlugin } from '../assets/speaker-view.js';
import { shownPath } from '../shown.js';
import { compileTemplate, type CompiledTemplate } from '../render/compile-template.js';
import { loadTemplate, type Template } from '../render/load-template.js';
import { checkThemeValues, type Locate, themeProperties } from '../render/theme.js';
import { dependsOn, diagramPalette, diagramStyle } from '../render/palette.js';
import { readRegularFile } from '../read-file.js';

/**
 * One deck through every stage up to the files to write: the model as `buildModel` made it,
 * what the run reports of it beside it, and its files. Nothing of it is on disk yet.
 */
export interface PreparedDeck {
  deck: Deck;
  /** The model's warnings, then the asset and content checks' findings (and the browser's, when it ran). */
  findings: Finding[];
  /** Deck files the build adds beside the slides' own (theme images, linked files), with where they are named. */
  extraAssets: AssetRef[];
  /** Absolute path of the deck's output folder. */
  dir: string;
  summary: DeckSummary;
  /** Every file the build read for this deck: what a watcher must watch to rebuild it. */
  sources: {
    /** The deck file (absolute). */
    file: string;
    /** Folders of the deck's template and of those it extends. */
    templateDirs: string[];
    /** Images and other deck files it copies (absolute). */
    assets: string[];
  };
  output: DeckOutput;
}

interface PrepareContext {
  projectDir: string;
  outDir: string;
  configDeckLayer: DeckLayer;
  /** Where a key of the config file was written. */
  locateConfig: Locate;
  flags: DeckLayer;
  /** Compiled templates, kept by the caller for as long as their files stay unchanged. */
  templates: Map<string, CompiledTemplate>;
  revealDir: string;
  /** The kind of PDF the build prints, if any. */
  pdf: PdfKind | false;
  /** What else decides the built files: Lectern's version and the PDF's options. */
  buildTag: string;
  /** Downloaded remote files, and the downloads that failed in this run. */
  remote: RemoteCache;
  /** Diagrams drawn by earlier builds, and by this one. */
  diagrams?: DiagramCache;
  /** The page for an audience (`lectern present`): no speaker notes anywhere in it. */
  withoutNotes?: boolean;
}

/** One deck file through every stage up to the files to write; reads, never writes. */
export function prepareDeck(
  path: string,
  ctx: PrepareContext,
): { prepared: PreparedDeck; pending: string[]; diagrams: { code: string; theme: string }[] } {
  const file = shownPath(path, ctx.projectDir);
  const deckDir = dirname(path);
  const imported: string[] = [];
  const { outline, options } = readOutline(
    readDeckFile(path, file),
    file,
    ctx.configDeckLayer,
    ctx.flags,
    readToolConfig(deckDir, ctx.projectDir),
    {
      load: importLoader(ctx.projectDir, deckDir, imported),
      hints: readProjectHints(deckDir, ctx.projectDir, {
        ...(ctx.configDeckLayer.slideLevel !== undefined ? { slideLevel: ctx.configDeckLayer.slideLevel } : {}),
        ...(ctx.configDeckLayer.sectionDivs !== undefined ? { sectionDivs: ctx.configDeckLayer.sectionDivs } : {}),
        file:
          ctx.locateConfig([ctx.configDeckLayer.slideLevel !== undefined ? 'slideLevel' : 'sectionDivs']).file ?? null,
      }),
    },
  );
  // Front matter, slides and files: all of a deck's problems are reported in one run.
  const problems = [...outline.errors];
  const fail = (more: unknown): never => {
    const all = [
      ...problems,
      ...(more instanceof DeckErrors ? more.errors : more instanceof DeckError ? [more] : []),
    ].sort(bySourcePosition);
    if (!(more instanceof DeckError || more instanceof DeckErrors || more === undefined)) throw more;
    throw collect(all);
  };
  let compiled: CompiledTemplate;
  try {
    compiled = withTemplatePosition(
      () => templateFor(options.template, deckDir, ctx),
      () => {
        if (ctx.flags.template) return undefined;
        if (outline.frontMatter.template) return outline.locate(['template']);
        return ctx.configDeckLayer.template ? ctx.locateConfig(['template']) : undefined;
      },
    );
    const { theme } = compiled.template;
    checkThemeValues(ctx.configDeckLayer.theme ?? {}, theme, ctx.locateConfig, compiled.template.name);
    checkThemeValues(outline.frontMatter.theme ?? {}, theme, outline.locate, compiled.template.name);
  } catch (err) {
    return fail(err);
  }
  const { theme } = compiled.template;
  const themeWhere = (key: string) =>
    outline.frontMatter.theme?.[key] !== undefined ? outline.locate(['theme', key]) : ctx.locateConfig(['theme', key]);
  // A theme image (a logo, a title background) the project lacks is left out of the page, with a warning.
  const earlyFindings: Finding[] = [...compiled.template.cssFindings];
  for (const [key, value] of Object.entries(options.theme)) {
    if (!Object.hasOwn(theme, key) || theme[key]!.type !== 'image') continue;
    const missing = missingThemeImage(value, deckDir, ctx.projectDir);
    if (!missing) {
      // `/logo.png` is the project's, as the site the deck was served from had it.
      if (!/^\/(?!\/)/.test(value.trim())) continue;
      const inProject = relative(ctx.projectDir, join(ctx.projectDir, value.trim()));
      // Outside the project it stays as written, for the asset plan to refuse.
      if (inProject.startsWith('..')) continue;
      const beside = relative(deckDir, join(ctx.projectDir, value.trim())).split(sep).join('/');
      if (!beside.startsWith('../')) {
        options.theme[key] = beside;
        continue;
      }
    }
    earlyFindings.push({
      code: 'ASSET_MISSING',
      message: missing
        ? `theme image "${value}" (${key}) not found; the deck is built without it`
        : `theme image "${value}" (${key}) is outside the deck's folder; the deck is built without it`,
      pos: themeWhere(key),
      hint: missing ?? "a template's images travel from the deck's folder: move the file there",
    });
    delete options.theme[key];
  }
  const name = basename(path, extname(path));
  const unsafe = options.html === 'unsafe';
  // The deck's colours (the template's, its theme values over them), for the contrast check and
  // for its diagrams, drawn in them unless the template names a mermaid theme.
  const colours = themeColours(compiled.template, options.theme, outline, ctx);
  const diagramTheme = diagramStyle(
    compiled.template.diagramTheme,
    compiled.template.diagramVariables,
    diagramPalette(colours.variables),
  );
  let resolved: ResolvedAssets | undefined;
  let deck: Deck;
  try {
    deck = deckFrom(
      outline,
      options,
      name,
      compiled.layoutNames,
      ctx.configDeckLayer,
      ctx.flags,
      (assets) => {
        resolved = resolveAssets(assets, {
          deckDir,
          projectDir: ctx.projectDir,
          remote: options.remote,
          unsafe,
          cache: ctx.remote,
          deckName: name,
        });
        const kept = resolved.remoteKept;
        return { rewrite: resolved.rewrite, keptRemote: (url) => kept.has(url) };
      },
      ctx.diagrams?.lookup(diagramTheme),
    );
  } catch (err) {
    append(problems, resolved?.errors ?? []);
    return fail(err);
  }
  append(problems, resolved?.errors ?? []);
  if (problems.length) fail(undefined);
  const findings = append([...earlyFindings, ...deck.warnings], resolved?.warnings ?? []);
  const stylesheets = deckStylesheets(
    options.css ?? [],
    (key) =>
      outline.frontMatter.css !== undefined
        ? key.length
          ? outline.locateValue(['css', ...key])
          : outline.locate(['css'])
        : ctx.locateConfig(['css', ...key]),
    {
      deckDir,
      projectDir: ctx.projectDir,
      remote: 'error',
      unsafe,
      cache: ctx.remote,
      kinds: /\.css$/i,
      deckName: name,
    },
  );
  append(findings, stylesheets.warnings);
  // Theme images (a logo, say) are deck files like any other image.
  const themeAssets: AssetRef[] = [];
  for (const [key, value] of Object.entries(options.theme)) {
    if (!Object.hasOwn(theme, key) || theme[key]!.type !== 'image') continue;
    themeAssets.push({ url: value, pos: themeWhere(key) });
  }
  // Local files the slides link to travel with the deck, like its images; the check reports the rest.
  const linkTarget = linkTargets(deckDir);
  append(findings, checkContent({ deck, linkTarget }));
  append(findings, checkColours({ deck, ...colours }));
  const reported = capWarnings(findings);
  const linked = linkedFiles(deck, linkTarget);
  const math = deck.mathClasses ? mathCopies(deck.mathClasses) : null;
  // Slides that shrink, and code blocks that set their own type smaller, are fitted in the browser.
  const fits = deck.stacks.some((stack) =>
    stack.slides.some((slide) => slide.attributes['data-fit'] === 'shrink' || /<pre[\s>]/.test(slide.body)),
  );
  // The audience's page is rendered from the deck without its notes.
  const html = compiled.render(ctx.withoutNotes ? withoutNotes(deck) : deck, {
    stylesheets: stylesheets.links,
    ...(math ? { runtimeStyles: [math.css] } : {}),
    ...(fits ? { runtimeScripts: [fitScriptPath] } : {}),
  });
  // Slide images were resolved with the model; theme images and linked files are planned here.
  const planned = planAssets({
    deck: { ...deck, assets: [...themeAssets, ...linked] },
    deckDir,
    template: compiled.template,
    revealDir: ctx.revealDir,
  });
  checkCopies(planned, deckDir);
  // What the deck carries is published by what each file is: drawings rewritten, pages not at all.
  const published = publishCopies(
    [
      ...planned,
      ...(math?.copies ?? []),
      ...[...(resolved?.copies ?? []), ...stylesheets.copies].filter(
        (c, i, all) => !planned.some((p) => p.to === c.to) && all.findIndex((o) => o.to === c.to) === i,
      ),
    ],
    unsafe,
  );
  if (published.errors.length)
    fail(published.errors.length === 1 ? published.errors[0] : new DeckErrors(published.errors));
  append(reported, capWarnings(published.warnings));
  const copies = ctx.withoutNotes
    ? onlyNamed(published.copies, html, [
        ...(resolved?.copies ?? []).map((c) => c.to),
        ...planned.filter((c) => linked.some((l) => l.pos === c.pos)).map((c) => c.to),
      ])
    : published.copies;
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
    slides: deck.stacks
      .flatMap((s) => s.slides)
      .map((s) => ({ title: s.titleText, layout: s.layout, line: s.pos.line ?? 1 })),
    ...(Object.keys(deck.options.checks).length ? { checks: deck.options.checks } : {}),
  };
  // The digest is of the deck, whatever PDF a build prints of it: PDFs of an unchanged deck stay.
  summary.build = buildDigest(ctx.buildTag, html, summary, copies, [ctx.revealDir, ...(math ? [math.dir] : [])]);
  if (ctx.pdf) Object.assign(summary, { pdf: pdfFileName(name, ctx.pdf), thumbnail: 'thumbnail.png' });
  return {
    pending: resolved?.pending ?? [],
    diagrams: (deck.diagrams ?? []).map((code) => ({ code, theme: diagramTheme })),
    prepared: {
      deck,
      findings: reported,
      extraAssets: [...themeAssets, ...linked],
      dir: join(ctx.outDir, name),
      summary,
      sources: {
        file: path,
        templateDirs: compiled.template.chain.map((l) => l.dir),
        assets: [...copies.filter((c) => c.pos).map((c) => c.from), ...imported],
      },
      output: {
        name,
        files: [
          { path: 'index.html', content: html },
          { path: runtimePaths.notesJs, content: notesPlugin(ctx.revealDir) },
          ...(fits ? [{ path: fitScriptPath, content: fitScript() }] : []),
          { path: 'deck.json', content: `${JSON.stringify(summary, null, 2)}\n` },
        ],
        copies,
      },
    },
  };
}

/**
 * The audience's copies: of the files the slides or their notes named (pictures, linked files),
 * only those its page still names; a picture or file only the notes named stays behind with them.
 */
function onlyNamed(copies: FileCopy[], html: string, fromContent: string[]): FileCopy[] {
  const content = new Set(fromContent);
  const named = (to: string): boolean =>
    [to, encodeURI(to), escapeHtml(to), escapeHtml(encodeURI(to))].some((form) => html.includes(form));
  return copies.filter((c) => !content.has(c.to) || named(c.to));
}

/**
 * The digest of a deck as built. Every file it carries counts by its content, but Reveal.js's
 * own, which change only with the installed package: those by path, size and time.
 */
function buildDigest(
  tag: string,
  html: string,
  summary: DeckSummary,
  copies: FileCopy[],
  packageDirs: string[],
): string {
  const hash = createHash('sha256').update(tag).update('\0').update(html).update('\0').update(JSON.stringify(summary));
  for (const copy of [...copies].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0))) {
    hash.update(`\0${copy.to}\0`);
    if (copy.content) hash.update(copy.content);
    else if (!packageDirs.some((dir) => copy.from.startsWith(dir))) hash.update(readRegularFile(copy.from));
    else {
      const stat = statSync(copy.from);
      hash.update(`${copy.from}|${stat.size}|${stat.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 32);
}

/** A template that is not found is pointed at where the deck (or config) names it. */
function withTemplatePosition<T>(work: () => T, where: () => SourcePos | undefined): T {
  try {
    return work();
  } catch (err) {
    const pos = err instanceof DeckError && err.code === 'TEMPLATE_UNKNOWN' && !err.pos ? where() : undefined;
    if (!pos) throw err;
    throw new DeckError('TEMPLATE_UNKNOWN', (err as DeckError).message, {
      pos,
      hint: (err as DeckError).hint,
      cause: err,
    });
  }
}

function templateFor(name: string, deckDir: string, ctx: PrepareContext): CompiledTemplate {
  // Keyed by what decides which folder the name resolves to, so a kept cache needs no disk reads.
  const key = `${name}|${deckDir}`;
  let compiled = ctx.templates.get(key);
  if (!compiled) {
    compiled = compileTemplate(loadTemplate(name, { deckDir, projectDir: ctx.projectDir }));
    ctx.templates.set(key, compiled);
  }
  return compiled;
}

/** KaTeX's stylesheet and the font files a deck's math uses, from the installed package. */
function mathCopies(classes: string[]): { css: string; copies: FileCopy[]; dir: string } {
  const dir = katexDir();
  katexCss ??= readFileSync(join(dir, 'katex.min.css'), 'utf8');
  const to = `${runtimeDir}/katex`;
  return {
    css: `${to}/katex.min.css`,
    dir,
    copies: [
      { from: join(dir, 'katex.min.css'), to: `${to}/katex.min.css` },
      ...mathFontFiles(katexCss, classes).map((file) => ({ from: join(dir, file), to: `${to}/${file}` })),
    ],
  };
}

let katexCss: string | undefined;

/** Where a deck with `fit: shrink` slides finds the script that fits them. */
const fitScriptPath = `${runtimeDir}/fit.js`;

function katexDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
  } catch (err) {
    throw new DeckError('RUNTIME_MISSING', 'the katex package is not installed', {
      hint: 'run `npm run setup` (or `npm ci`) in the Lectern folder',
      cause: err,
    });
  }
}

export function findReveal(): string {
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
export function withPosition(err: DeckError, pos: SourcePos): DeckError {
  if (err.pos) return err;
  return new DeckError(err.code, err.message, { pos, hint: err.hint, cause: err.cause ?? err });
}

/**
 * The template's colours with the deck's theme values over them, and where a deck or the config
 * set the value a colour comes from (the theme's own are the template's, checked by its tests).
 */
function themeColours(
  template: Template,
  values: Record<string, string>,
  outline: { frontMatter: { theme?: Record<string, unknown> }; locate: Locate },
  ctx: PrepareContext,
): { variables: Record<string, string>; themeAt: (property: string) => { name: string; pos: SourcePos } | undefined } {
  const set = themeProperties(values, template.theme);
  const variables = { ...template.variables, ...Object.fromEntries(set.map((p) => [p.property, p.value])) };
  const byProperty = new Map(set.map((p) => [p.property, p.name]));
  const names = new Set(byProperty.keys());
  return {
    variables,
    themeAt: (property) => {
      const found = dependsOn(template.variables, property, names);
      const name = found && byProperty.get(found);
      if (!name) return undefined;
      const pos =
        outline.frontMatter.theme?.[name] !== undefined
          ? outline.locate(['theme', name])
          : ctx.locateConfig(['theme', name]);
      return { name, pos };
    },
  };
}

/**
 * Why a theme image's file is not there to copy, or null when it is (or is no local file: a
 * remote or refused one is the asset plan's to report).
 */
function missingThemeImage(url: string, deckDir: string, projectDir: string): string | null {
  const value = url.trim();
  if (value === '' || /^([a-z][a-z0-9+.-]*:|\/\/|#)/i.test(value) || value.includes('\\')) return null;
  const path = value.replace(/[?#].*$/, '');
  const from = path.startsWith('/') ? join(projectDir, path) : join(deckDir, path);
  if (existsSync(from)) return null;
  return path.startsWith('/')
    ? `a path starting with / is looked up from the project's folder (${projectDir})`
    : `the path is relative to the deck file's folder (${deckDir})`;
}
