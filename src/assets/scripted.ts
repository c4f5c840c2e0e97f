import { readFileSync } from 'node:fs';

/**
 * Files a deck carries that a browser would run when opened on their own (an SVG or an HTML
 * page the slides link to): in a safe deck they may hold no script, no handlers, no embedded
 * pages and no links out. Read as text, lower-cased; the check errs on the side of refusing.
 */

/** What in an SVG would run when the file is opened as a page of its own, or null. */
export function scriptedSvg(path: string): string | null {
  const text = readFileSync(path, 'utf8')
    .slice(0, 5 * 1024 * 1024)
    .toLowerCase();
  return scriptIn(text);
}

/** Script, handlers, embedded pages or outside links in SVG or HTML text (lower case), or null. */
export function scriptIn(text: string): string | null {
  if (/<script\b/.test(text)) return 'a <script>';
  if (/[\s"'/]on[a-z]+\s*=/.test(text)) return 'an event handler';
  if (/javascript:/.test(text)) return 'a javascript: link';
  if (/<(foreignobject|iframe|embed|object)\b/.test(text)) return 'embedded content';
  if (/(href|src)\s*=\s*["']?\s*(https?:|\/\/)/.test(text)) return 'a link out of the deck';
  return null;
}
