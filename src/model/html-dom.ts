import render from 'dom-serializer';
import { isComment, isTag, isText, type AnyNode, type ChildNode, type Element, type ParentNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { droppedWithContent, isAllowedTag, isHtmlAttribute, refuseAttribute } from './html-policy.js';

export interface FinishedHtml {
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

/** Parses the attribute list of a `.element:` or `.slide:` comment. */
export function parseDirectiveAttributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    out[name] = name === 'class' && out.class ? `${out.class} ${value}` : value;
  }
  return out;
}

/**
 * The last pass over a slide's HTML, on a parsed tree (never on text): applies `.element:`
 * and `.slide:` comments the way the Reveal.js Markdown plugin does, then, unless `unsafe`,
 * holds every element and attribute to the allowlist. Pure.
 */
export function finishHtml(html: string, unsafe: boolean, nested = false): FinishedHtml {
  const doc = parseDocument(html, { decodeEntities: true });
  const slideAttributes: Record<string, string> = {};
  const removed: string[] = [];

  applyDirectives(doc, slideAttributes);

  if (!unsafe) {
    sanitizeChildren(doc, removed, nested);
    sanitizeAttributes('section', slideAttributes, removed, nested);
  }

  let fragments = 0;
  walk(doc, (node) => {
    if (isTag(node) && /(^|\s)fragment(\s|$)/.test(node.attribs.class ?? '')) fragments++;
  });
  return { html: render(doc, { encodeEntities: 'utf8' }), slideAttributes, fragments, removed };
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
  replaceChildren(parent, parent.children.filter((child) => !isComment(child)));
}

function sanitizeChildren(parent: ParentNode, removed: string[], nested: boolean): void {
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
      sanitizeChildren(child, removed, nested);
      kept.push(...child.children);
      continue;
    }
    sanitizeAttributes(tag, child.attribs, removed, nested);
    if (tag === 'a' && child.attribs.target === '_blank') child.attribs.rel = 'noopener noreferrer';
    sanitizeChildren(child, removed, nested);
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
function sanitizeAttributes(tag: string, attribs: Record<string, string>, removed: string[], nested: boolean): void {
  for (const [name, value] of Object.entries(attribs)) {
    // Notes inside notes mean nothing, and would be sanitised again at every level.
    const why = nested && isHtmlAttribute(name) ? 'HTML inside an HTML attribute' : refuseAttribute(tag, name, value, attribs, true);
    if (why) {
      removed.push(`${name} on <${tag}> (${why})`);
      delete attribs[name];
    } else if (isHtmlAttribute(name)) {
      const inner = finishHtml(value, false, true);
      removed.push(...inner.removed.map((what) => `${what} in ${name}`));
      attribs[name] = inner.html;
    }
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

