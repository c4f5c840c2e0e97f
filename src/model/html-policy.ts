import { refuseCss } from './css-value.js';

/**
 * The allowlist raw HTML in a deck is held to unless the deck says `html: unsafe`: the
 * elements Markdown itself produces, plus layout elements, with class/style/data-* and a few
 * per-element attributes. Anything that runs script, loads remote styles or frames is out.
 */

const markdownTags = [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  'del',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'hr',
  'br',
  'input',
];
const layoutTags = [
  'div',
  'span',
  'figure',
  'figcaption',
  'section',
  'aside',
  'header',
  'footer',
  'small',
  'sub',
  'sup',
  'mark',
  'kbd',
  'samp',
  'var',
  'abbr',
  'cite',
  'q',
  's',
  'u',
  'b',
  'i',
  'dl',
  'dt',
  'dd',
  'details',
  'summary',
  'caption',
  'col',
  'colgroup',
  'time',
  'wbr',
  'ins',
  'picture',
];
const allowedTags = new Set([...markdownTags, ...layoutTags]);

/** Elements removed together with everything inside them (the rest are unwrapped). */
export const droppedWithContent = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'template',
  'noscript',
  'textarea',
  'select',
  'svg',
  'math',
  'link',
  'meta',
  'base',
  'title',
  'head',
  'audio',
  'video',
  'source',
  'track',
  'canvas',
  'form',
  'button',
  'portal',
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
/**
 * What Reveal.js (and its notes plugin) does with the data-* attributes that are more than a
 * flag or a name: each is checked as what it becomes. Every other data-* attribute stays.
 */
const revealAttributeKinds: Record<
  string,
  'html' | 'media' | 'media-list' | 'background' | 'css' | 'easing' | 'frame' | 'markdown' | 'preview-link'
> = {
  // Written into innerHTML by the speaker view, the inline notes and the print layout.
  'data-notes': 'html',
  // The notes plugin renders these notes as Markdown in the browser, links and all.
  'data-markdown': 'markdown',
  'data-background-iframe': 'frame',
  'data-preview-link': 'preview-link',
  'data-src': 'media',
  'data-preview-image': 'media',
  'data-preview-video': 'media',
  // Comma-separated lists: one url() or <source> per item.
  'data-background-image': 'media-list',
  'data-background-video': 'media-list',
  // An image list when it looks like one to Reveal, else a CSS `background` value.
  'data-background': 'background',
  'data-background-gradient': 'css',
  'data-background-color': 'css',
  'data-background-size': 'css',
  'data-background-position': 'css',
  'data-background-repeat': 'css',
  'data-background-opacity': 'css',
  // Pasted as it is into the stylesheet Reveal writes for an auto-animation.
  'data-auto-animate-easing': 'easing',
};

/** Reveal's own test for a `data-background` that names images rather than CSS. */
function isBackgroundImage(value: string): boolean {
  return /^(http|file|\/\/)/i.test(value) || /\.(svg|png|jpg|jpeg|gif|bmp|webp)([?#\s]|$)/i.test(value);
}

/**
 * The files a media attribute names, split the way Reveal splits it: a `data:` URL whole,
 * otherwise every comma-separated item of a list.
 */
export function mediaItems(name: string, value: string): string[] {
  const kind = revealAttributeKinds[name];
  const list = kind === 'media-list' || (kind === 'background' && isBackgroundImage(value));
  if (!list) return kind === 'media' || name === 'src' ? [value] : [];
  // Reveal keeps a background image whole only when it starts with `data:` exactly (its test is
  // case-sensitive); a video list it always splits.
  if (name !== 'data-background-video' && /^data:/.test(value.trim())) return [value.trim()];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Whether a data-* attribute's value must itself be sanitised as HTML (data-notes). */
export function isHtmlAttribute(name: string): boolean {
  return revealAttributeKinds[name.toLowerCase()] === 'html';
}

export function isAllowedTag(tag: string): boolean {
  return allowedTags.has(tag.toLowerCase());
}

/**
 * Why an attribute is refused, or null when it may stay. `attribs` are the element's other
 * attributes (a preview link opens the element's href).
 */
export function refuseAttribute(
  tag: string,
  name: string,
  value: string,
  attribs: Record<string, string> = {},
  final = false,
  keptRemote: (url: string) => boolean = () => false,
): string | null {
  const attr = name.toLowerCase();
  const known =
    globalAttributes.has(attr) ||
    /^data-[\w.:-]+$/.test(attr) ||
    /^aria-[a-z]+$/.test(attr) ||
    elementAttributes[tag.toLowerCase()]?.has(attr);
  if (!known) return attr.startsWith('on') ? 'event handler' : 'attribute not allowed';
  if (attr === 'style') {
    const why = refuseCss(value);
    if (why) return `style with ${why}`;
  }
  switch (revealAttributeKinds[attr]) {
    case 'frame':
      return 'embeds another page';
    case 'markdown':
      return 'Markdown rendered in the browser; Lectern renders notes itself';
    case 'preview-link': {
      // As Reveal reads it: the value when it starts with "http", else the element's href; off
      // only for exactly "false".
      const target = value.startsWith('http') ? value : (attribs.href ?? '');
      if (value !== 'false' && !isLocalUrl(target)) return 'previews a page from the network';
      // Nor may the value itself name anything but a relative page.
      if (!isLocalUrl(value)) return 'unsafe URL';
      break;
    }
    case 'css': {
      const why = refuseCss(value);
      if (why) return why;
      break;
    }
    case 'easing':
      // A timing function (ease-in, cubic-bezier(…), steps(…)) and nothing that could end the rule.
      if (!/^[a-z0-9\s.,()%+-]*$/i.test(value) || refuseCss(value)) return 'not a timing function';
      break;
    case 'background':
    case 'media':
    case 'media-list':
      if (revealAttributeKinds[attr] === 'background' && !isBackgroundImage(value)) {
        const why = refuseCss(value);
        if (why) return why;
        break;
      }
      if (!mediaItems(attr, value).every((item) => isSafeUrl(item, 'media'))) return 'unsafe URL';
      // The earlier scan made remote media an error; anything remote still here is refused.
      if (final && mediaItems(attr, value).some((item) => isRemoteUrl(item) && !keptRemote(item)))
        return 'loads from the network';
      break;
  }
  if (urlAttributes.has(attr) && !isSafeUrl(value, attr === 'href' || attr === 'cite' ? 'link' : 'media'))
    return 'unsafe URL';
  if (final && attr === 'src' && isRemoteUrl(value) && !keptRemote(value)) return 'loads from the network';
  if (tag.toLowerCase() === 'input' && attr === 'type' && value.toLowerCase() !== 'checkbox') return 'input type';
  return null;
}

/** An http(s) or protocol-relative URL, read as the browser reads it. */
function isRemoteUrl(raw: string): boolean {
  return !isLocalUrl(raw) && !/^data:/i.test(raw.replace(/[\u0000-\u0020\u007f-\u00a0]/g, ''));
}

/** A URL that stays inside the deck: a relative path or a fragment, no scheme, no host. */
function isLocalUrl(raw: string): boolean {
  const value = raw.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '');
  return !/^([a-z][a-z0-9+.-]*:|[\\/]{2})/i.test(value);
}

/**
 * Links may be relative, fragments, http(s), mailto or tel; media may be relative, http(s)
 * (refused later as remote unless the deck is unsafe) or inline raster images.
 */
export function isSafeUrl(raw: string, kind: 'link' | 'media'): boolean {
  // Browsers ignore control characters and spaces around and inside a scheme, and some
  // ignore other Unicode spaces and zero-width characters too: strip them all before looking.
  const value = raw
    .replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u2064\u3000\ufeff]/g, '')
    .toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(value)?.[1];
  if (!scheme) return true;
  if (scheme === 'http' || scheme === 'https') return true;
  if (kind === 'link') return scheme === 'mailto' || scheme === 'tel';
  // A data: URL Reveal may put inside url( … ) unquoted: nothing but the payload's own characters.
  return /^data:image\/(png|jpeg|gif|webp|avif)(;[a-z0-9=.+-]+)*,[a-z0-9+/=%._~-]*$/.test(value);
}
