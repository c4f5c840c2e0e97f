import render from 'dom-serializer';
import { isComment, isTag, isText, type AnyNode, type ChildNode, type Element, type ParentNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { highlightCode, keptSteps, parseCodeSteps, renderCodeSteps, splitHighlightedLines } from './code-steps.js';
import { PIECE_NONCE } from './pieces.js';
import { droppedWithContent, isAllowedTag, isHtmlAttribute, mediaItems, refuseAttribute } from './html-policy.js';

interface FinishedHtml {
  html: string;
  /** Attributes collected from `<!-- .slide: … -->` comments. */
  slideAttributes: Record<string, string>;
  /** Elements that reveal one by one. */
  fragments: number;
  /** What the sanitiser took out, as `<tag>` or `attr on <tag>`. */
  removed: string[];
}

const ELEMENT_DIRECTIVE = /^\s*\.element\s*:\s*([\s\S]*?)\s*$/;
const SLIDE_DIRECTIVE = /^\s*\.slide\s*:\s*([\s\S]*?)\s*$/;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/** Character references in a directive's value decoded, as in an attribute written in HTML. */
function decodeHTML(value: string): string {
  if (!value.includes('&')) return value;
  const text = parseDocument(value.replace(/</g, '&lt;'), { decodeEntities: true }).children[0];
  return text && isText(text) ? text.data : value;
}

/**
 * The text finished HTML shows, entities decoded, white space folded: what an outline or an
 * index names a slide by (never the Markdown it came from, escapes and all).
 */
export function htmlText(html: string): string {
  const doc = parseDocument(html, { decodeEntities: true });
  let text = '';
  const visit = (nodes: AnyNode[]): void => {
    for (const node of nodes) {
      if (isText(node)) text += node.data;
      else if (isTag(node)) {
        // A line break is a space; what the browser does not show is no text.
        if (node.name === 'br') text += ' ';
        // Set math reads as its TeX (MathML's annotation); the drawing of it is no text.
        else if (/(^|\s)katex-html(\s|$)/.test(node.attribs.class ?? '')) continue;
        else if (node.name === 'math') text += annotationOf(node);
        else if (node.name !== 'script' && node.name !== 'style' && node.name !== 'template') visit(node.children);
      }
    }
  };
  visit(doc.children);
  return text.replace(/\s+/g, ' ').trim();
}

/** The TeX source a MathML element carries, or its text when it has none. */
function annotationOf(math: Element): string {
  let tex: string | null = null;
  let all = '';
  const visit = (nodes: AnyNode[], inAnnotation: boolean): void => {
    for (const node of nodes) {
      if (isText(node)) {
        if (inAnnotation) tex = (tex ?? '') + node.data;
        else all += node.data;
      } else if (isTag(node)) visit(node.children, inAnnotation || node.name === 'annotation');
    }
  };
  visit(math.children, false);
  return tex ?? all;
}

/** Parses the attribute list of a `.element:` or `.slide:` comment. */
export function parseDirectiveAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    const value = decodeHTML(m[2] ?? m[3] ?? m[4] ?? '');
    out[name] = name === 'class' && out.class ? `${out.class} ${value}` : value;
  }
  return out;
}

/**
 * The last pass over a slide's HTML, on a parsed tree (never on text): applies `.element:`
 * and `.slide:` comments the way the Reveal.js Markdown plugin does, then, unless `unsafe`,
 * holds every element and attribute to the allowlist. Pure.
 */
export function finishHtml(
  html: string,
  unsafe: boolean,
  nested = false,
  media?: MediaRewrite,
  pieces: readonly string[] = [],
): FinishedHtml {
  const doc = parseDocument(html, { decodeEntities: true });
  const slideAttributes: Record<string, string> = {};
  const removed: string[] = [];

  applyDirectives(doc, slideAttributes);
  // A <section> inside a slide would be another slide to Reveal (a page too many in the PDF).
  // One that wraps the whole slide gives the slide its attributes (a background, say), as Reveal
  // shows it; any other becomes a <div> with the same attributes.
  if (!nested) {
    const top = doc.children.filter((n) => !(isText(n) && n.data.trim() === ''));
    const only =
      top.length === 1 && isTag(top[0]!) && top[0]!.name.toLowerCase() === 'section' ? (top[0] as Element) : null;
    if (only) {
      mergeAttributes(slideAttributes, only.attribs);
      replaceChildren(doc, only.children);
    }
    walk(doc, (node) => {
      if (isTag(node) && node.name.toLowerCase() === 'section') node.name = 'div';
    });
  }
  if (media) {
    rewriteMedia(doc, media);
    rewriteAttributes(slideAttributes, media);
  }

  if (!unsafe) {
    sanitizeChildren(doc, removed, nested, media);
    sanitizeAttributes('section', slideAttributes, removed, nested, media);
  }

  // Only slides that have reveal.js's stepped code pay for the walk.
  if (html.includes('data-line-numbers')) stepHtmlCode(doc);
  markIncremental(doc, false);
  let fragments = 0;
  walk(doc, (node) => {
    if (isTag(node) && /(^|\s)fragment(\s|$)/.test(node.attribs.class ?? '')) fragments++;
  });
  const out = render(doc, { encodeEntities: 'utf8' });
  return { html: pieces.length ? fillPieces(out, pieces) : out, slideAttributes, fragments, removed };
}

/**
 * Puts Lectern's own HTML (set math, drawn diagrams) where the renderer left its places, after
 * sanitising. A place that a comment gave attributes (`<!-- .element: class="fragment" -->`)
 * keeps them on a span around the piece.
 */
function fillPieces(html: string, pieces: readonly string[]): string {
  const place = new RegExp(`<span data-lectern-piece="${PIECE_NONCE}-(\\d+)"([^>]*)><\\/span>`, 'g');
  return html.replace(place, (_whole, n: string, attributes: string) => {
    const piece = pieces[Number(n)] ?? '';
    return attributes.trim() ? `<span${attributes}>${piece}</span>` : piece;
  });
}

/**
 * Applies and removes the directive comments (and every other comment), depth first. Each
 * parent's children are rebuilt once, so the work stays linear in the number of nodes.
 */
function applyDirectives(parent: ParentNode, slideAttributes: Record<string, string>): void {
  if (!parent.children.some(isComment)) {
    for (const child of parent.children) if ('children' in child) applyDirectives(child, slideAttributes);
    return;
  }
  let lastElement: Element | null = null;
  for (const child of parent.children) {
    if (isComment(child)) {
      const element = ELEMENT_DIRECTIVE.exec(child.data);
      const slide = SLIDE_DIRECTIVE.exec(child.data);
      // An .element comment styles the element just before it (whitespace between), else its parent.
      const target = lastElement ?? (isTag(parent as ChildNode) ? (parent as Element) : null);
      if (element && target) mergeAttributes(target.attribs, parseDirectiveAttributes(element[1]!));
      else if (slide) mergeAttributes(slideAttributes, parseDirectiveAttributes(slide[1]!));
      continue;
    }
    if (isTag(child)) lastElement = child;
    else if (!(isText(child) && child.data.trim() === '')) lastElement = null;
    if ('children' in child) applyDirectives(child, slideAttributes);
  }
  replaceChildren(
    parent,
    parent.children.filter((child) => !isComment(child)),
  );
}

/**
 * What the files a slide loads become in the built deck (see src/assets/resolve.ts): a new URL,
 * or null for a file that is missing, shown as a placeholder that names it.
 */
export interface MediaRewrite {
  rewrite: (url: string) => string | null;
  /** Remote URLs the deck keeps as links (`remote: link`): the final pass lets them through. */
  keptRemote: (url: string) => boolean;
}

const placeholderTags = new Set(['img', 'video', 'audio', 'iframe']);

/** Points every media reference at its file in the built deck, or puts a placeholder in its place. */
function rewriteMedia(parent: ParentNode, media: MediaRewrite): void {
  let changed = false;
  const kept: ChildNode[] = [];
  for (const child of parent.children) {
    if (!isTag(child)) {
      kept.push(child);
      continue;
    }
    const tag = child.name.toLowerCase();
    // Reveal loads `data-src` lazily: a missing one is a missing image too.
    const src = child.attribs.src ?? child.attribs['data-src'];
    if (src !== undefined && placeholderTags.has(tag) && media.rewrite(src) === null) {
      kept.push(placeholder(src, child.attribs.alt));
      changed = true;
      continue;
    }
    rewriteAttributes(child.attribs, media);
    rewriteMedia(child, media);
    kept.push(child);
  }
  if (changed) replaceChildren(parent, kept);
}

function rewriteAttributes(attribs: Record<string, string>, media: MediaRewrite): void {
  for (const [name, value] of Object.entries(attribs)) {
    const items = mediaItems(name, value);
    if (items.length === 0) continue;
    const mapped = items.map((item) => media.rewrite(item));
    if (mapped.every((m, i) => m === items[i])) continue;
    const left = mapped.filter((m): m is string => m !== null);
    if (left.length === 0) delete attribs[name];
    else attribs[name] = items.length === 1 ? left[0]! : left.join(', ');
  }
}

/** A visible box where a missing image would be, naming the file. */
function placeholder(src: string, alt?: string): Element {
  const doc = parseDocument(`<span class="lectern-missing" role="img"></span>`);
  const span = doc.children[0] as Element;
  const name = src.split(/[?#]/)[0]!.split('/').pop() || src;
  span.attribs['aria-label'] = `missing image: ${alt || name}`;
  if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src.replace(/[\t\n\r]/g, ''))) span.attribs.title = src;
  const text = parseDocument('x').children[0]!;
  (text as unknown as { data: string }).data = `missing image: ${name}`;
  replaceChildren(span, [text as ChildNode]);
  return span;
}

function sanitizeChildren(parent: ParentNode, removed: string[], nested: boolean, media?: MediaRewrite): void {
  const kept: ChildNode[] = [];
  let changed = false;
  for (const child of parent.children) {
    if (!isTag(child)) {
      kept.push(child);
      continue;
    }
    const tag = child.name.toLowerCase();
    // Only the checkbox of a Markdown task list may be an input; any other is a form control.
    const strayInput = tag === 'input' && (child.attribs.type ?? '').toLowerCase() !== 'checkbox';
    if (!isAllowedTag(tag) || strayInput) {
      removed.push(`<${tag}>`);
      changed = true;
      if (droppedWithContent.has(tag)) continue;
      // Unwrapped: its (sanitised) children take its place.
      sanitizeChildren(child, removed, nested, media);
      for (const grandchild of child.children) kept.push(grandchild);
      continue;
    }
    sanitizeAttributes(tag, child.attribs, removed, nested, media);
    if (tag === 'a' && child.attribs.target === '_blank') child.attribs.rel = 'noopener noreferrer';
    sanitizeChildren(child, removed, nested, media);
    kept.push(child);
  }
  if (changed) replaceChildren(parent, kept);
}

/** Gives a parent new children in one step, with their links set. */
function replaceChildren(parent: ParentNode, children: ChildNode[]): void {
  parent.children = children;
  children.forEach((child, i) => {
    child.parent = parent;
    child.prev = children[i - 1] ?? null;
    child.next = children[i + 1] ?? null;
  });
}

/**
 * Holds an element's attributes to the allowlist, in place. An attribute Reveal writes into the
 * page as HTML (data-notes) keeps only what the sanitiser lets through.
 */
function sanitizeAttributes(
  tag: string,
  attribs: Record<string, string>,
  removed: string[],
  nested: boolean,
  media?: MediaRewrite,
): void {
  for (const [name, value] of Object.entries(attribs)) {
    // Notes inside notes mean nothing, and would be sanitised again at every level.
    const why =
      nested && isHtmlAttribute(name)
        ? 'HTML inside an HTML attribute'
        : refuseAttribute(tag, name, value, attribs, true, media?.keptRemote);
    if (why) {
      removed.push(`${name} on <${tag}> (${why})`);
      delete attribs[name];
    } else if (isHtmlAttribute(name)) {
      const inner = finishHtml(value, false, true, media);
      removed.push(...inner.removed.map((what) => `${what} in ${name}`));
      attribs[name] = inner.html;
    }
  }
}

/**
 * Code written as reveal.js's HTML, `<pre><code data-line-numbers="1|2-3">`, gets the line steps
 * of a fenced block with `[1|2-3]`: highlighted and stepped at build time.
 */
function stepHtmlCode(parent: ParentNode): void {
  walk(parent, (node) => {
    if (!isTag(node) || node.name !== 'pre') return;
    const elements = node.children.filter(isTag);
    const code = elements.length === 1 && elements[0]!.name === 'code' ? elements[0]! : null;
    if (!code || code.attribs['data-line-numbers'] === undefined) return;
    const language = /(?:^|\s)(?:language|lang)-([\w+#-]+)/.exec(code.attribs.class ?? '')?.[1] ?? '';
    const parsed = parseCodeSteps(
      `<html>${language}<start>${code.attribs['data-ln-start-from'] ?? ''}<steps>${code.attribs['data-line-numbers']}`,
    );
    if (!parsed) return;
    const trimmed = textOf(code).replace(/^\n/, '').replace(/\n$/, '');
    const lines = trimmed.split('\n');
    const steps = keptSteps(parsed, lines.length);
    const html = renderCodeSteps(
      splitHighlightedLines(highlightCode(trimmed, language)),
      steps,
      language ? `hljs language-${language}` : 'hljs',
    );
    const stepped = parseDocument(html, { decodeEntities: true }).children[0] as Element;
    if (node.attribs['data-line']) stepped.attribs['data-line'] = node.attribs['data-line'];
    const siblings = node.parent!.children;
    siblings.splice(siblings.indexOf(node), 1, stepped);
    replaceChildren(node.parent!, siblings);
  });
}

/** The text of an element as written, line breaks and all. */
function textOf(node: AnyNode): string {
  if (isText(node)) return node.data;
  return 'children' in node ? node.children.map(textOf).join('') : '';
}

/** Pandoc's and Quarto's incremental lists: items inside `.incremental` (not `.nonincremental`) reveal one by one. */
function markIncremental(parent: ParentNode, on: boolean): void {
  for (const child of parent.children) {
    if (!isTag(child)) continue;
    const classes = (child.attribs.class ?? '').split(/\s+/);
    const here = classes.includes('nonincremental') ? false : classes.includes('incremental') ? true : on;
    if (here && child.name === 'li' && !classes.includes('fragment'))
      child.attribs.class = [...classes.filter(Boolean), 'fragment'].join(' ');
    markIncremental(child, here);
  }
}

function mergeAttributes(target: Record<string, string>, extra: Record<string, string>): void {
  for (const [name, value] of Object.entries(extra)) {
    target[name] = name === 'class' && target.class ? `${target.class} ${value}` : value;
  }
}

function walk(node: AnyNode, visit: (node: ChildNode) => void): void {
  if (!('children' in node)) return;
  for (const child of [...node.children]) {
    visit(child);
    if (child.parent) walk(child, visit);
  }
}
