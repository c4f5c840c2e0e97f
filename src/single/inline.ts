import render from 'dom-serializer';
import { type AnyNode, type Element, isTag, Text } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import type { DeckFiles } from '../browser/deck-files.js';
import { mediaItems } from '../model/html-policy.js';

/** One file put into the single file, and what it weighs there (base64 and all). */
export interface InlinedPart {
  /** Its path in the deck folder. */
  path: string;
  bytes: number;
}

/** A built deck as one HTML file. */
export interface InlinedDeck {
  html: string;
  /** Every file put in, largest first. */
  parts: InlinedPart[];
  /** Font files the deck never used (no slide or note needs them): left out. */
  fontsLeftOut: string[];
  /** References to the deck's own files that could not be put in, and why: the file would load them. */
  notInlined: { ref: string; why: string }[];
}

/** What the inliner knows: the deck's files, and which of them its page asked for when laid out. */
interface Context {
  files: DeckFiles;
  /** URL paths (decoded) the page requested, laid out for print with its notes shown. */
  used: ReadonlySet<string>;
  parts: Map<string, number>;
  fontsLeftOut: Set<string>;
  notInlined: { ref: string; why: string }[];
}

const ORIGIN = 'http://deck.invalid';

/**
 * Turns a built deck into one HTML file that loads nothing: stylesheets and scripts written in,
 * every image, video and font of the deck's own files as a `data:` URL, and of the fonts only the
 * faces (weight, style, range) the page used when every slide and note was laid out. Pure: it
 * reads the deck's files through `files` and nothing else.
 */
export function inlineDeck(files: DeckFiles, used: Iterable<string>): InlinedDeck {
  const page = files('/index.html');
  if (!page) throw new Error('a built deck has an index.html');
  const ctx: Context = {
    files,
    used: new Set([...used].map(decoded)),
    parts: new Map(),
    fontsLeftOut: new Set(),
    notInlined: [],
  };
  const doc = parseDocument(page.body.toString('utf8'), { decodeEntities: true });
  walk(doc.children, ctx);
  const html = render(doc, { decodeEntities: true, encodeEntities: 'utf8' });
  return {
    html: html.startsWith('<!doctype') || html.startsWith('<!DOCTYPE') ? html : `<!doctype html>\n${html}`,
    parts: [...ctx.parts].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes),
    fontsLeftOut: [...ctx.fontsLeftOut].sort(),
    notInlined: ctx.notInlined,
  };
}

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The deck file a reference names, as a decoded URL path, or null for what is not one of the
 * deck's files: `data:`, other origins, links within the page.
 */
function localPath(ref: string, base: string): string | null {
  const value = ref.trim();
  if (value === '' || value.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//'))
    return null;
  try {
    const url = new URL(value, `${ORIGIN}${base}`);
    return url.origin === ORIGIN ? decoded(url.pathname) : null;
  } catch {
    return null;
  }
}

/** A deck file read for putting in, counted once however often it is referenced. */
function read(path: string, ctx: Context): { body: Buffer; type: string } | null {
  const file = ctx.files(encodeURI(path));
  if (!file) return null;
  return { body: file.body, type: file.type.split(';')[0]!.trim() };
}

/** A reference that leaves the file: the one file would still load it, so it is reported. */
function remote(ref: string, ctx: Context): null {
  if (/^\s*(https?:)?\/\//i.test(ref)) ctx.notInlined.push({ ref: ref.trim(), why: 'a remote file' });
  return null;
}

function dataUrl(ref: string, base: string, ctx: Context): string | null {
  const path = localPath(ref, base);
  if (path === null) return remote(ref, ctx);
  const file = read(path, ctx);
  if (!file) {
    ctx.notInlined.push({ ref, why: 'not a file of the built deck' });
    return null;
  }
  const url = `data:${file.type};base64,${file.body.toString('base64')}`;
  ctx.parts.set(path.slice(1), url.length);
  return url;
}

/** Attributes that load one file. */
const single = ['src', 'poster', 'data-src', 'data-preview-image', 'data-preview-video'];
/** Reveal's background attributes: a list of files, split at commas (so one only, once inlined). */
const lists = ['data-background-image', 'data-background', 'data-background-video'];

function walk(nodes: AnyNode[], ctx: Context): void {
  for (const node of [...nodes]) {
    if (!isTag(node)) continue;
    const name = node.name.toLowerCase();
    if (name === 'link') inlineLink(node, ctx);
    else if (name === 'script') inlineScript(node, ctx);
    else if (name === 'style') setText(node, endlessStyle(inlineCss(textOf(node), '/index.html', ctx, [])));
    for (const attr of single) {
      const value = node.attribs[attr];
      if (value === undefined) continue;
      // A frame is another page: it cannot be written in (the one file would load it).
      if (name === 'iframe' && attr === 'src') {
        if (localPath(value, '/index.html') !== null) ctx.notInlined.push({ ref: value, why: 'a frame' });
        continue;
      }
      const url = dataUrl(value, '/index.html', ctx);
      if (url) node.attribs[attr] = url;
    }
    for (const attr of lists) {
      const value = node.attribs[attr];
      if (value === undefined || value.trim().startsWith('data:')) continue;
      // Split as Reveal splits it (a data-background that is CSS names no file).
      const items = mediaItems(attr, value);
      const local = items.filter((item) => localPath(item, '/index.html') !== null);
      if (local.length === 0) continue;
      // Reveal keeps a `data:` background whole only when it is the only one; a video it always splits.
      if (items.length > 1 || attr === 'data-background-video') {
        for (const item of local) ctx.notInlined.push({ ref: item, why: `one of a list in ${attr}` });
        continue;
      }
      const url = dataUrl(items[0]!, '/index.html', ctx);
      if (url) node.attribs[attr] = url;
    }
    if (node.attribs.srcset !== undefined) node.attribs.srcset = inlineSrcset(node.attribs.srcset, ctx);
    if (node.attribs.style !== undefined)
      node.attribs.style = inlineCss(node.attribs.style, '/index.html', ctx, [], false);
    if (node.attribs['data-background-iframe'] && localPath(node.attribs['data-background-iframe'], '/index.html'))
      ctx.notInlined.push({ ref: node.attribs['data-background-iframe'], why: 'a frame' });
    walk(node.children, ctx);
  }
}

function inlineSrcset(value: string, ctx: Context): string {
  return value
    .split(',')
    .map((candidate) => {
      const [ref, ...descriptor] = candidate.trim().split(/\s+/);
      if (!ref) return candidate;
      const url = dataUrl(ref, '/index.html', ctx);
      return url ? [url, ...descriptor].join(' ') : candidate.trim();
    })
    .join(', ');
}

function inlineLink(node: Element, ctx: Context): void {
  const rel = (node.attribs.rel ?? '').toLowerCase().split(/\s+/);
  const href = node.attribs.href;
  if (href === undefined) return;
  const path = localPath(href, '/index.html');
  if (path === null) {
    if (rel.includes('stylesheet') || rel.includes('icon')) remote(href, ctx);
    return;
  }
  if (rel.includes('stylesheet')) {
    const file = read(path, ctx);
    if (!file) {
      ctx.notInlined.push({ ref: href, why: 'not a file of the built deck' });
      return;
    }
    ctx.parts.set(path.slice(1), file.body.length);
    const style = new Text(endlessStyle(inlineCss(file.body.toString('utf8'), path, ctx, [path])));
    node.name = 'style';
    node.attribs = node.attribs.media ? { media: node.attribs.media } : {};
    node.children = [style];
    style.parent = node;
    return;
  }
  if (rel.some((r) => r === 'preload' || r === 'prefetch' || r === 'modulepreload' || r === 'prerender')) {
    // A hint to load early what is now written in: nothing to load.
    node.attribs = { rel: 'help' };
    return;
  }
  const url = dataUrl(href, '/index.html', ctx);
  if (url) node.attribs.href = url;
}

function inlineScript(node: Element, ctx: Context): void {
  const src = node.attribs.src;
  if (src === undefined) return;
  const path = localPath(src, '/index.html');
  if (path === null) {
    remote(src, ctx);
    return;
  }
  const file = read(path, ctx);
  if (!file) {
    ctx.notInlined.push({ ref: src, why: 'not a file of the built deck' });
    return;
  }
  ctx.parts.set(path.slice(1), file.body.length);
  delete node.attribs.src;
  // Written in, a script must not end the element early or open an HTML comment.
  setText(
    node,
    file.body
      .toString('utf8')
      .replace(/<\/(script)/gi, '<\\/$1')
      .replace(/<!--/g, '<\\!--'),
  );
}

/** Written into a <style> element, a stylesheet must not end it early (`\/` is `/` to CSS). */
function endlessStyle(css: string): string {
  return css.replace(/<\/(style)/gi, '<\\/$1');
}

function textOf(node: Element): string {
  return node.children.map((c) => ('data' in c && typeof c.data === 'string' ? c.data : '')).join('');
}

function setText(node: Element, text: string): void {
  const child = new Text(text);
  child.parent = node;
  node.children = [child];
}

const URL_IN_CSS = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/gi;
const IMPORT = /@import\s+(?:url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|"([^"]*)"|'([^']*)')\s*([^;]*);/gi;
const FONT_FACE = /@font-face\s*\{[^}]*\}/gi;

/**
 * A stylesheet with what it loads written in: `@import`ed sheets in place, every url() of a deck
 * file as a data: URL, and `@font-face` rules the page never used left out (`sheet` false for a
 * style attribute, which has neither).
 */
function inlineCss(css: string, base: string, ctx: Context, seen: string[], sheet = true): string {
  let out = css.replace(/\/\*[\s\S]*?\*\//g, '');
  if (sheet) {
    out = out.replace(IMPORT, (whole, ...groups: (string | undefined)[]) => {
      const ref = groups.slice(0, 5).find((g) => g !== undefined) ?? '';
      const media = (groups[5] ?? '').trim();
      const path = localPath(ref, base);
      if (path === null) {
        remote(ref, ctx);
        return whole;
      }
      const file = read(path, ctx);
      if (!file || seen.includes(path) || seen.length > 16) {
        ctx.notInlined.push({ ref, why: file ? 'an @import loop' : 'not a file of the built deck' });
        return '';
      }
      ctx.parts.set(path.slice(1), file.body.length);
      const inner = inlineCss(file.body.toString('utf8'), path, ctx, [...seen, path]);
      return media ? `@media ${media} {\n${inner}\n}` : inner;
    });
    out = out.replace(FONT_FACE, (rule) => fontFace(rule, base, ctx));
  }
  return out.replace(URL_IN_CSS, (whole, a?: string, b?: string, c?: string) => {
    const url = dataUrl(a ?? b ?? c ?? '', base, ctx);
    return url ? `url("${url}")` : whole;
  });
}

/**
 * A font face with only the sources the page used, or nothing when it used none of them. A face
 * whose sources are not deck files (local() fonts) stays as it is.
 */
function fontFace(rule: string, base: string, ctx: Context): string {
  const src = /(^|[{;\s])src\s*:\s*([^;}]*)/i.exec(rule);
  if (!src) return rule;
  const entries = splitTopLevel(src[2]!);
  const kept: string[] = [];
  let local = 0;
  for (const entry of entries) {
    const m = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)/i.exec(entry);
    const path = m ? localPath(m[1] ?? m[2] ?? m[3] ?? '', base) : null;
    if (path === null) {
      kept.push(entry);
      continue;
    }
    local += 1;
    if (ctx.used.has(path)) kept.push(entry);
    else ctx.fontsLeftOut.add(path.slice(1));
  }
  if (local > 0 && kept.length === 0) return '';
  return rule.replace(src[0], `${src[1]}src: ${kept.join(', ')}`);
}

/** A comma-separated CSS value split at its top-level commas. */
function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}
