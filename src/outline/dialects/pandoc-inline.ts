import { quote } from './lines.js';

/**
 * Pandoc's attribute syntax (`{#id .class key=value}`) and the inline forms that carry it —
 * spans, image and link attributes — rewritten into the HTML and directive comments Lectern's
 * Markdown stage understands. Pure.
 */

export interface PandocAttributes {
  id?: string;
  classes: string[];
  pairs: [string, string][];
}

const ATTR_TOKEN =
  /([#.][^\s#.}"'=]+)|([A-Za-z_][\w:.-]*)=(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s}]+))|(\S+)/g;

/** Parses the inside of `{…}`; null when it is not an attribute list. */
export function parseAttributes(inner: string): PandocAttributes | null {
  const out: PandocAttributes = { classes: [], pairs: [] };
  for (const m of inner.matchAll(ATTR_TOKEN)) {
    if (m[1]) {
      if (m[1][0] === '#') out.id = m[1].slice(1);
      else out.classes.push(m[1].slice(1));
    } else if (m[2]) {
      // Backslash escapes inside quotes, as Pandoc reads them.
      out.pairs.push([m[2], (m[3] ?? m[4])?.replace(/\\(.)/g, '$1') ?? m[5] ?? '']);
    } else if (m[6] === '-') {
      out.classes.push('unnumbered');
    } else if (m[6]) {
      // A bare word: Pandoc reads `{python}` on a code fence, and nothing else, this way.
      out.classes.push(m[6]);
    }
  }
  return out;
}

/** Attribute names Pandoc and Quarto prefix with `data-` on a slide. */
const slideDataNames =
  /^(background|background-[a-z-]+|transition|transition-speed|auto-animate|auto-animate-[a-z-]+|visibility|state|timing|autoslide)$/;

/** The `<!-- .slide: … -->` comment for a slide heading's attributes (id, classes, backgrounds…). */
export function slideDirective(attrs: PandocAttributes): string {
  const parts: string[] = [];
  if (attrs.id) parts.push(`id=${quote(attrs.id)}`);
  if (attrs.classes.length) parts.push(`class=${quote(attrs.classes.join(' '))}`);
  for (const [key, value] of attrs.pairs) {
    const name = key.startsWith('data-') ? key : slideDataNames.test(key) ? `data-${key}` : key;
    parts.push(`${name}=${quote(value)}`);
  }
  return parts.length ? `<!-- .slide: ${parts.join(' ')} -->` : '';
}

/** Attributes as HTML for an element: `width=50%` becomes a style, as Pandoc's HTML writer does. */
export function elementAttributes(attrs: PandocAttributes, media = false): string {
  const parts: string[] = [];
  const styles: string[] = [];
  if (attrs.id) parts.push(`id=${quote(attrs.id)}`);
  if (attrs.classes.length) parts.push(`class=${quote(attrs.classes.join(' '))}`);
  for (const [key, value] of attrs.pairs) {
    if (media && (key === 'width' || key === 'height')) {
      if (/^\d+(\.\d+)?$/.test(value)) parts.push(`${key}=${quote(value)}`);
      else styles.push(`${key}:${value}`);
    } else if (key === 'style') {
      styles.push(value);
    } else if (/^[A-Za-z_][\w:.-]*$/.test(key)) {
      parts.push(
        `${key.startsWith('data-') || ['title', 'lang', 'dir'].includes(key) ? key : `data-${key}`}=${quote(value)}`,
      );
    }
  }
  if (styles.length) parts.push(`style=${quote(styles.join(';'))}`);
  return parts.join(' ');
}

/** Splits a line into code spans and the text between them, so rewrites leave code alone. */
function outsideCode(line: string, rewrite: (text: string) => string): string {
  if (!line.includes('`')) return rewrite(line);
  let out = '';
  let i = 0;
  while (i < line.length) {
    const tick = line.indexOf('`', i);
    if (tick === -1) {
      out += rewrite(line.slice(i));
      break;
    }
    out += rewrite(line.slice(i, tick));
    const run = /^`+/.exec(line.slice(tick))![0];
    const close = line.indexOf(run, tick + run.length);
    if (close === -1) {
      out += line.slice(tick);
      break;
    }
    let end = close + run.length;
    // `code`{.python}: the attributes of inline code are dropped.
    const attrs = /^\{[^}\n]*\}/.exec(line.slice(end));
    out += line.slice(tick, end);
    if (attrs) end += attrs[0].length;
    i = end;
  }
  return out;
}

// Bounded repetitions: on a line of a thousand `![` the search stays linear.
const IMAGE_ATTRS =
  /(!\[(?:[^\]\\]|\\.){0,300}\]\((?:[^()\s]|\([^()]{0,300}\)){0,300}(?:\s+"[^"]{0,300}")?\))\{([^}\n]{0,300})\}/g;
const LINK_ATTRS =
  /((?<!!)\[(?:[^\]\\]|\\.){0,300}\]\((?:[^()\s]|\([^()]{0,300}\)){0,300}(?:\s+"[^"]{0,300}")?\))\{([^}\n]{0,300})\}/g;
const SPAN = /(?<![!\]\\])\[((?:[^\][\\]|\\.|\[[^\]]{0,300}\]){0,300})\]\{([^}\n]{0,300})\}/g;

/** Rewrites the image attributes of a line only (`![](a.png){width=50% .contain}`), code left alone. */
export function rewriteImageAttributes(line: string): string {
  return outsideCode(line, (text) => (text.includes('{') ? text.replace(IMAGE_ATTRS, imageWithAttributes) : text));
}

function imageWithAttributes(_whole: string, image: string, inner: string): string {
  const attrs = parseAttributes(inner);
  const html = attrs ? elementAttributes(attrs, true) : '';
  return html ? `${image}<!-- .element: ${html} -->` : image;
}

/** Rewrites one line of Pandoc prose: spans, image and link attributes. */
export function rewriteInline(line: string): string {
  return outsideCode(line, (text) => {
    if (!text.includes('{')) return text;
    return text
      .replace(IMAGE_ATTRS, imageWithAttributes)
      .replace(LINK_ATTRS, (_whole, link: string, inner: string) => {
        const attrs = parseAttributes(inner);
        const html = attrs ? elementAttributes({ ...attrs, pairs: attrs.pairs.filter(([k]) => k !== 'target') }) : '';
        return html ? `${link}<!-- .element: ${html} -->` : link;
      })
      .replace(SPAN, (_whole, content: string, inner: string) => {
        const attrs = parseAttributes(inner);
        if (!attrs) return _whole;
        const html = elementAttributes(attrs);
        return `<span${html ? ` ${html}` : ''}>${content}</span>`;
      });
  });
}
