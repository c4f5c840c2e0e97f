/**
 * The allowlist raw HTML in a deck is held to unless the deck says `html: unsafe`: the
 * elements Markdown itself produces, plus layout elements, with class/style/data-* and a few
 * per-element attributes. Anything that runs script, loads remote styles or frames is out.
 */

const markdownTags = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong',
  'del', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'hr', 'br', 'input',
];
const layoutTags = [
  'div', 'span', 'figure', 'figcaption', 'section', 'aside', 'header', 'footer', 'small', 'sub', 'sup',
  'mark', 'kbd', 'samp', 'var', 'abbr', 'cite', 'q', 's', 'u', 'b', 'i', 'dl', 'dt', 'dd', 'details',
  'summary', 'caption', 'col', 'colgroup', 'time', 'wbr', 'ins', 'picture',
];
const allowedTags = new Set([...markdownTags, ...layoutTags]);

/** Elements removed together with everything inside them (the rest are unwrapped). */
export const droppedWithContent = new Set([
  'script', 'style', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'template', 'noscript',
  'textarea', 'select', 'svg', 'math', 'link', 'meta', 'base', 'title', 'head', 'audio', 'video', 'source',
  'track', 'canvas', 'form', 'button', 'portal',
]);

const globalAttributes = new Set(['class', 'id', 'style', 'title', 'lang', 'dir', 'role', 'hidden']);
const elementAttributes: Record<string, Set<string>> = {
  a: new Set(['href', 'target', 'rel', 'name']),
  img: new Set(['src', 'alt', 'width', 'height', 'loading', 'decoding']),
  td: new Set(['colspan', 'rowspan', 'align']),
  th: new Set(['colspan', 'rowspan', 'align', 'scope']),
  ol: new Set(['start', 'reversed', 'type']),
  li: new Set(['value']),
  input: new Set(['type', 'checked', 'disabled']),
  col: new Set(['span']),
  colgroup: new Set(['span']),
  time: new Set(['datetime']),
  q: new Set(['cite']),
  blockquote: new Set(['cite']),
  details: new Set(['open']),
};

const urlAttributes = new Set(['href', 'src', 'cite']);
/** Reveal.js attributes that load a file: held to the media rules, and copied like images. */
export const revealMediaAttributes = new Set(['data-background-image', 'data-background-video', 'data-background', 'data-src', 'data-preview-image', 'data-preview-video']);

export function isAllowedTag(tag: string): boolean {
  return allowedTags.has(tag.toLowerCase());
}

/** Why an attribute is refused, or null when it may stay. */
export function refuseAttribute(tag: string, name: string, value: string): string | null {
  const attr = name.toLowerCase();
  const known =
    globalAttributes.has(attr) ||
    /^data-[\w.:-]+$/.test(attr) ||
    /^aria-[a-z]+$/.test(attr) ||
    elementAttributes[tag.toLowerCase()]?.has(attr);
  if (!known) return attr.startsWith('on') ? 'event handler' : 'attribute not allowed';
  if (attr === 'style' && unsafeStyle(value)) return 'style that loads or runs something';
  if (attr === 'data-background-iframe') return 'embeds another page';
  if (attr === 'data-preview-link' && value !== '' && !isSafeUrl(value, 'link')) return 'unsafe URL';
  if (urlAttributes.has(attr) || revealMediaAttributes.has(attr)) {
    if (!isSafeUrl(value, attr === 'href' || attr === 'cite' ? 'link' : 'media')) return 'unsafe URL';
  }
  if (tag.toLowerCase() === 'input' && attr === 'type' && value.toLowerCase() !== 'checkbox') return 'input type';
  return null;
}

function unsafeStyle(value: string): boolean {
  return /url\s*\(|expression\s*\(|@import|javascript:|behavior\s*:|-moz-binding/i.test(value);
}

/**
 * Links may be relative, fragments, http(s), mailto or tel; media may be relative, http(s)
 * (refused later as remote unless the deck is unsafe) or inline raster images.
 */
export function isSafeUrl(raw: string, kind: 'link' | 'media'): boolean {
  // Browsers ignore control characters and spaces around and inside a scheme, and some
  // ignore other Unicode spaces and zero-width characters too: strip them all before looking.
  const value = raw.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value)?.[1];
  if (!scheme) return true;
  if (scheme === 'http' || scheme === 'https') return true;
  if (kind === 'link') return scheme === 'mailto' || scheme === 'tel';
  return /^data:image\/(png|jpeg|gif|webp|avif);/.test(value);
}
