import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { planAssets } from '../assets/plan.js';
import type { FileCopy } from '../assets/plan.js';
import { resolveAssets, type ResolveContext, type ResolvedAssets } from '../assets/resolve.js';
import { refuseStylesheet } from '../model/css-value.js';
import { scriptedSvg } from '../assets/scripted.js';
import type { RemoteCache } from '../assets/remote-cache.js';
import { checkCopies } from '../assets/verify-copies.js';
import { collect } from '../config/yaml-layer.js';
import { readToolConfig } from '../config/tool-config.js';
import { checkContent, localLinkPath, type LinkTarget } from '../check/content.js';
import type { DeckLayer } from '../config/schema.js';
import { append, bySourcePosition, capWarnings, DeckError, DeckErrors, type SourcePos } from '../errors.js';
import { deckFrom, readOutline } from '../model/read-deck.js';
import type { Deck } from '../model/types.js';
import { readDeckFile } from '../outline/read.js';
import type { DeckOutput } from '../output/write.js';
import type { DeckSummary } from '../model/summary.js';
import { compileTemplate, type CompiledTemplate } from '../render/compile-template.js';
import { loadTemplate } from '../render/load-template.js';
import { checkThemeValues, type Locate } from '../render/theme.js';

export interface BuiltDeck {
  deck: Deck;
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
}

export interface PrepareContext {
  projectDir: string;
  outDir: string;
  configDeckLayer: DeckLayer;
  /** Where a key of the config file was written. */
  locateConfig: Locate;
  flags: DeckLayer;
  templates: Map<string, CompiledTemplate>;
  revealDir: string;
  pdf: boolean;
  /** Downloaded remote files, and the downloads that failed in this run. */
  remote: RemoteCache;
}

/** One deck file through every stage up to the files to write; reads, never writes. */
export function prepareDeck(path: string, ctx: PrepareContext): { built: BuiltDeck; output: DeckOutput; pending: string[] } {
  const file = display(ctx.projectDir, path);
  const deckDir = dirname(path);
  const { outline, options } = readOutline(readDeckFile(path, file), file, ctx.configDeckLayer, ctx.flags, readToolConfig(deckDir, ctx.projectDir));
  // Front matter, slides and files: all of a deck's problems are reported in one run.
  const problems = [...outline.errors];
  const fail = (more: unknown): never => {
    const all = [...problems, ...(more instanceof DeckErrors ? more.errors : more instanceof DeckError ? [more] : [])].sort(bySourcePosition);
    if (!(more instanceof DeckError || more instanceof DeckErrors || more === undefined)) throw more;
    throw collect(all);
  };
  let compiled: CompiledTemplate;
  try {
    compiled = withTemplatePosition(() => templateFor(options.template, deckDir, ctx), () => {
      if (ctx.flags.template) return undefined;
      if (outline.frontMatter.template) return outline.locate(['template']);
      return ctx.configDeckLayer.template ? ctx.locateConfig(['template']) : undefined;
    });
    const { theme } = compiled.template;
    checkThemeValues(ctx.configDeckLayer.theme ?? {}, theme, ctx.locateConfig, compiled.template.name);
    checkThemeValues(outline.frontMatter.theme ?? {}, theme, outline.locate, compiled.template.name);
  } catch (err) {
    return fail(err);
  }
  const { theme } = compiled.template;
  const name = basename(path, extname(path));
  let resolved: ResolvedAssets | undefined;
  let deck: Deck;
  try {
    deck = deckFrom(outline, options, name, compiled.layoutNames, ctx.configDeckLayer, ctx.flags, (assets) => {
      resolved = resolveAssets(assets, { deckDir, projectDir: ctx.projectDir, remote: options.remote, unsafe: options.html === 'unsafe', cache: ctx.remote });
      const kept = resolved.remoteKept;
      return { rewrite: resolved.rewrite, keptRemote: (url) => kept.has(url) };
    });
  } catch (err) {
    append(problems, resolved?.errors ?? []);
    return fail(err);
  }
  append(problems, resolved?.errors ?? []);
  if (problems.length) fail(undefined);
  append(deck.warnings, resolved?.warnings ?? []);
  const slideAssets = deck.assets.length;
  const styleCopies = deckStylesheets(deck, options.css ?? [], (key) => (outline.frontMatter.css !== undefined ? (key.length ? outline.locateValue(['css', ...key]) : outline.locate(['css'])) : ctx.locateConfig(['css', ...key])), { deckDir, projectDir: ctx.projectDir, remote: 'error', unsafe: options.html === 'unsafe', cache: ctx.remote, kinds: /\.css$/i });
  // Theme images (a logo, say) are deck files like any other image.
  for (const [key, value] of Object.entries(options.theme)) {
    if (!Object.hasOwn(theme, key) || theme[key]!.type !== 'image') continue;
    const fromDeck = outline.frontMatter.theme?.[key] !== undefined;
    deck.assets.push({ url: value, pos: fromDeck ? outline.locate(['theme', key]) : ctx.locateConfig(['theme', key]) });
  }
  // Local files the slides link to travel with the deck, like its images; the check reports the rest.
  const targets = new Map<string, LinkTarget>();
  const linkTarget = (link: string): LinkTarget => {
    if (!targets.has(link)) targets.set(link, findLinkTarget(link, deckDir));
    return targets.get(link)!;
  };
  append(deck.warnings, checkContent({ deck, linkTarget }));
  deck.warnings = capWarnings(deck.warnings);
  const linked = deck.links.filter((l) => localLinkPath(l.url) !== null && !l.url.startsWith('/') && linkTarget(localLinkPath(l.url)!) === 'file');
  // Linked files travel too, but nothing hidden, and in a safe deck no page or drawing that
  // would run script when opened on the deck's site.
  const unsafeLinks: DeckError[] = [];
  for (const link of linked) {
    const path = localLinkPath(link.url)!;
    if (path.split('/').some((part) => part.startsWith('.') && part !== '.' && part !== '..')) {
      unsafeLinks.push(new DeckError('ASSET_OUTSIDE', `"${link.url}" is in a hidden folder or is a hidden file: it is not published`, { pos: link.pos, hint: 'move the file out of the hidden folder, or link to it some other way' }));
    } else if (options.html !== 'unsafe' && /\.(svg|html?|xhtml|xml)$/i.test(path)) {
      const why = scriptedSvg(resolve(deckDir, path));
      if (why) unsafeLinks.push(new DeckError('ASSET_UNSAFE', `"${link.url}" holds ${why}: opened from the deck, it would run on the deck's site`, { pos: link.pos, hint: 'remove the script from the file, or set `html: unsafe` for decks you trust' }));
    }
  }
  if (unsafeLinks.length) throw collect(unsafeLinks);
  const html = compiled.render(deck);
  // Slide images were resolved with the model; theme images and linked files are planned here.
  const planned = planAssets({ deck: { ...deck, assets: [...deck.assets.slice(slideAssets), ...linked.map((l) => ({ url: localLinkPath(l.url)!, pos: l.pos }))] }, deckDir, template: compiled.template, revealDir: ctx.revealDir });
  checkCopies(planned, deckDir);
  const copies = [...planned, ...[...(resolved?.copies ?? []), ...styleCopies].filter((c, i, all) => !planned.some((p) => p.to === c.to) && all.findIndex((o) => o.to === c.to) === i)];
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
    ...(ctx.pdf ? { pdf: `${name}.pdf`, thumbnail: 'thumbnail.png' } : {}),
  };
  return {
    pending: resolved?.pending ?? [],
    built: {
      deck,
      dir: join(ctx.outDir, name),
      summary,
      sources: {
        file: path,
        templateDirs: compiled.template.chain.map((l) => l.dir),
        assets: copies.filter((c) => c.pos).map((c) => c.from),
      },
    },
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

/**
 * The deck's own stylesheets (`css:`), linked after the template's: files inside the project,
 * and in a safe deck only CSS that loads nothing (no url(), no @import).
 */
function deckStylesheets(deck: Deck, paths: string[], locate: (key: (string | number)[]) => SourcePos, ctx: ResolveContext): FileCopy[] {
  const refs = paths.map((url, i) => ({ url, pos: locate(paths.length === 1 ? [] : [i]) }));
  const found = resolveAssets(refs, ctx);
  if (found.errors.length) throw collect(found.errors);
  deck.warnings.push(...found.warnings.map((w) => ({ ...w, message: w.message.replace(/^image /, 'stylesheet ').replace('; a placeholder is shown', '') })));
  const copies: FileCopy[] = [];
  for (const copy of found.copies) {
    if (!ctx.unsafe) {
      const why = stylesheetText(readFileSync(copy.from), refuseStylesheet);
      if (why) {
        deck.warnings.push({ code: 'HTML_REMOVED', message: `stylesheet "${copy.to}" is not linked: ${why}`, pos: copy.pos!, hint: 'keep the deck\'s CSS to rules that load nothing, or set `html: unsafe` for decks you trust' });
        continue;
      }
    }
    copies.push(copy);
    deck.stylesheets = [...(deck.stylesheets ?? []), copy.to];
  }
  return copies;
}

/**
 * A stylesheet read as the browser will read it: one with a UTF-16 byte-order mark, NUL bytes or
 * bytes that are not UTF-8 decodes otherwise there than here, so it is refused unread.
 */
function stylesheetText(bytes: Buffer, check: (css: string) => string | null): string | null {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe) || bytes.includes(0)) return 'it is not UTF-8 text';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not UTF-8 text';
  }
  return check(text.replace(/^\uFEFF/, ''));
}

/** What a local link of a deck in `deckDir` points at. */
function findLinkTarget(link: string, deckDir: string): LinkTarget {
  // Built decks are siblings: `../other/` from this deck is the deck other.md beside it.
  const sibling = /^\.\.\/([^/]+)\/(index\.html)?$/.exec(link);
  if (sibling && existsSync(join(deckDir, `${sibling[1]}.md`))) return 'deck';
  const target = resolve(deckDir, link);
  const rel = relative(deckDir, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return 'outside';
  return existsSync(target) ? (statSync(target).isFile() ? 'file' : 'folder') : 'missing';
}

/** A template that is not found is pointed at where the deck (or config) names it. */
function withTemplatePosition<T>(work: () => T, where: () => SourcePos | undefined): T {
  try {
    return work();
  } catch (err) {
    const pos = err instanceof DeckError && err.code === 'TEMPLATE_UNKNOWN' && !err.pos ? where() : undefined;
    if (!pos) throw err;
    throw new DeckError('TEMPLATE_UNKNOWN', (err as DeckError).message, { pos, hint: (err as DeckError).hint, cause: err });
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

/** A path as errors show it: relative to the project, with `/`. */
export function display(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}
