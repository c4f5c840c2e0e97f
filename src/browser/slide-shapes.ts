/**
 * What a slide is made of, read from the deck as the browser lays it out for print: its text as
 * paragraphs of styled runs, its tables cell by cell, its pictures by file, its code line by line
 * in the highlighter's colours, the filled boxes and rules the template draws, each at its box in
 * deck pixels. The PowerPoint writer (src/pptx) turns these into native shapes; nothing here is a
 * picture but what only a browser can draw (formulas, diagrams, inline SVG, canvases), which the
 * caller photographs by the boxes given.
 */

/** A box in deck pixels, from the slide's top left corner. */
export interface ShapeBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A stretch of text in one style. */
export interface ShapeRun {
  text: string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  strike: boolean;
  /** `#rrggbb`, blended with the page when the text is translucent. */
  color: string;
  /** In deck pixels. */
  size: number;
  /** The font stack as the style names it, first family first. */
  fonts: string[];
  /** Superscript (a footnote's mark) or subscript. */
  baseline?: 'super' | 'sub';
  /** An inline code span's fill, `#rrggbb`. */
  highlight?: string;
  /** A link: to a web address or a file, or to a slide (its index in reading order). */
  link?: { url: string } | { slide: number };
}

export interface ShapeParagraph {
  runs: ShapeRun[];
  /** A list item: its marker and depth (0 for a top-level item). */
  bullet: (({ kind: 'disc'; char: string } | { kind: 'number'; start: number }) & { color: string }) | null;
  level: number;
  align: 'left' | 'center' | 'right';
  /** Pixels of space above, as the slide leaves between this block and the one before. */
  spaceBefore: number;
  /** The line height in pixels. */
  lineHeight: number;
}

export type SlideShape =
  | {
      kind: 'text';
      role: 'title' | 'body' | 'code';
      box: ShapeBox;
      paragraphs: ShapeParagraph[];
      /** Whether lines wrap (code does not). */
      wrap: boolean;
    }
  | {
      kind: 'rect';
      box: ShapeBox;
      fill: string | null;
      /** Border as one line around, when it has one all round. */
      line: { color: string; width: number } | null;
      radius: number;
    }
  | {
      kind: 'picture';
      box: ShapeBox;
      /** The URL path the page loaded it from. */
      src: string;
      alt: string;
      /** The picture's own size, to place it contained or cropped as the slide shows it. */
      natural: { w: number; h: number };
      fit: 'fill' | 'contain' | 'cover';
    }
  | {
      /** What only a browser draws: the caller photographs the box. */
      kind: 'render';
      box: ShapeBox;
      /** Its box on its printed page, in CSS pixels from the page's corner, for the photograph. */
      clip: ShapeBox;
      alt: string;
    }
  | {
      kind: 'table';
      box: ShapeBox;
      columns: number[];
      rows: { height: number; cells: TableCellShape[] }[];
    };

export interface TableCellShape {
  paragraphs: ShapeParagraph[];
  header: boolean;
  fill: string | null;
  border: { color: string; width: number } | null;
  colspan: number;
  rowspan: number;
  valign: 'top' | 'middle' | 'bottom';
  padding: [number, number, number, number];
}

/** A slide's decoration the template repeats: it goes on the slide master once. */
export type ChromeShape =
  | { kind: 'footer'; box: ShapeBox; paragraphs: ShapeParagraph[]; fill: string | null }
  | { kind: 'number'; box: ShapeBox; paragraphs: ShapeParagraph[]; fill: string | null }
  | { kind: 'logo'; box: ShapeBox; src: string; natural: { w: number; h: number } };

export interface SlideShapes {
  /** The slide's layout (`data-layout`). */
  layout: string;
  /** The slide's background colour, and its background picture when it has one from a file. */
  background: { color: string; image: string | null };
  shapes: SlideShape[];
  chrome: ChromeShape[];
  /** The speaker notes, a paragraph a line. */
  notes: string;
}

export interface DeckShapes {
  slides: SlideShapes[];
  /** The template's colours and fonts, read from its custom properties and its text. */
  theme: {
    background: string;
    text: string;
    heading: string;
    accent: string;
    muted: string;
    rule: string;
    codeBackground: string;
    headingFonts: string[];
    bodyFonts: string[];
  };
}

/**
 * Reads every printed slide page, in page order. `width` and `height` are the deck's size: each
 * page's slide is the largest area of that shape in its middle, and boxes are given in its pixels.
 * With `notesOnly`, only the notes are read (the picture-per-slide file needs no more).
 *
 * Runs in the page, so it stays self-contained: no imports and no helpers from outside its body.
 */
export function readSlideShapes(width: number, height: number, notesOnly: boolean): DeckShapes {
  const canvas = document.createElement('canvas').getContext('2d')!;
  /** A CSS colour as `#rrggbb` and its opacity, as Chromium resolves it. */
  const rgba = (css: string): { hex: string; a: number } => {
    const m = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?/.exec(css);
    if (m) {
      const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number.parseFloat(m[4]) / 100 : Number(m[4]);
      const hex = `#${[m[1], m[2], m[3]].map((v) => Math.round(Number(v)).toString(16).padStart(2, '0')).join('')}`;
      return { hex, a };
    }
    // Other notations (oklch, color()): the canvas turns them into #rrggbb or rgba().
    canvas.fillStyle = '#000000';
    canvas.fillStyle = css;
    const out = String(canvas.fillStyle);
    if (out.startsWith('#')) return { hex: out, a: 1 };
    const n = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(out);
    return n
      ? {
          hex: `#${[n[1], n[2], n[3]].map((v) => Math.round(Number(v)).toString(16).padStart(2, '0')).join('')}`,
          a: n[4] === undefined ? 1 : Number(n[4]),
        }
      : { hex: '#000000', a: 0 };
  };
  const blend = (fg: string, bg: string, a: number): string => {
    if (a >= 0.999) return fg;
    const c = (hex: string, i: number) => Number.parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16);
    return `#${[0, 1, 2]
      .map((i) =>
        Math.round(c(fg, i) * a + c(bg, i) * (1 - a))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`;
  };
  const stack = (family: string): string[] =>
    family
      .split(',')
      .map((f) => f.replace(/["']/g, '').trim())
      .filter(Boolean);
  const px = (v: string): number => Number.parseFloat(v) || 0;

  const rootStyle = getComputedStyle(document.documentElement);
  const prop = (name: string, fallback: string): string => rootStyle.getPropertyValue(name).trim() || fallback;
  const colourOf = (css: string, fallback: string): string => {
    const c = rgba(css);
    return c.a > 0 ? c.hex : fallback;
  };

  const pages = Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page'));
  const sections = pages.map(
    (page) => page.querySelector<HTMLElement>('section[data-lectern-slide]') ?? page.querySelector('section'),
  );
  // Links to a slide name its place in reading order: `#/h/v` and `#/id` both become an index.
  const stackIndex: number[][] = [];
  const idIndex = new Map<string, number>();
  sections.forEach((section, i) => {
    // Lectern writes each slide's place (`data-h`, `data-v`, as `#/h/v` counts them).
    const h = Number(section?.getAttribute('data-h') ?? Number.NaN);
    const v = Number(section?.getAttribute('data-v') ?? 0);
    if (!Number.isNaN(h)) {
      stackIndex[h] ??= [];
      stackIndex[h]![Number.isNaN(v) ? 0 : v] ??= i;
    }
    if (section?.id) idIndex.set(section.id, i);
  });
  const linkOf = (a: HTMLAnchorElement | null): ShapeRun['link'] => {
    if (!a) return undefined;
    // As a URL parser reads it: no spaces around it, no tabs or line breaks inside.
    const raw = (a.getAttribute('href') ?? '').trim().replace(/[\t\n\r]/g, '');
    const slide = /^#\/(\d+)(?:\/(\d+))?/.exec(raw);
    if (slide) {
      const index = stackIndex[Number(slide[1])]?.[Number(slide[2] ?? 0)];
      return index === undefined ? undefined : { slide: index };
    }
    const named = /^#\/([^/]+)$/.exec(raw);
    if (named) {
      const index = idIndex.get(decodeURIComponent(named[1]!));
      return index === undefined ? undefined : { slide: index };
    }
    // Web and mail addresses, and paths to files beside the deck: nothing a click would run or
    // fetch from elsewhere. No other scheme, no absolute or network path (`//host`, `\\host`,
    // `/\host`: Windows opens those over SMB), no backslash at all.
    if (/^(https?:\/\/|mailto:)/i.test(raw) && !raw.includes('\\')) return { url: raw };
    return raw && !/^[#/]/.test(raw) && !raw.includes('\\') && !/^[a-z][a-z0-9+.-]*:/i.test(raw)
      ? { url: raw }
      : undefined;
  };

  const notesOf = (section: HTMLElement | null): string => {
    const notesEl = section?.querySelector('aside.notes');
    return notesEl
      ? Array.from(notesEl.querySelectorAll('p, li'))
          .map((p) => p.textContent?.replace(/\s+/g, ' ').trim() ?? '')
          .filter(Boolean)
          .join('\n') || (notesEl.textContent ?? '').replace(/\s+/g, ' ').trim()
      : (section?.getAttribute('data-notes') ?? '');
  };

  const media = 'img, svg, video, canvas, iframe, object, embed, math, .katex-display, figure.diagram';
  const blockDisplay = /^(block|flex|grid|list-item|table|flow-root)/;
  const chromeSelector = '.slide-footer, .slide-header, .slide-logo, .slide-number, .slide-number-pdf, .slide-index';

  const slides: SlideShapes[] = pages.map((page, index) => {
    const section = sections[index] ?? null;
    const layout = section?.dataset.layout ?? '';
    const notes = notesOf(section);
    const pageBackground = page.querySelector<HTMLElement>('.slide-background');
    const pageRect = page.getBoundingClientRect();
    const scale = Math.min(pageRect.width / width, pageRect.height / height);
    const x0 = pageRect.left + (pageRect.width - width * scale) / 2;
    const y0 = pageRect.top + (pageRect.height - height * scale) / 2;
    const boxOf = (r: { left: number; top: number; width: number; height: number }): ShapeBox => ({
      x: (r.left - x0) / scale,
      y: (r.top - y0) / scale,
      w: r.width / scale,
      h: r.height / scale,
    });
    const clipOf = (r: DOMRect): ShapeBox => ({
      x: r.left - pageRect.left,
      y: r.top - pageRect.top,
      w: r.width,
      h: r.height,
    });

    // The slide's background: Reveal's background element, else the section's, else the page's.
    let bgColour = colourOf(prop('--lectern-bg', ''), '#ffffff');
    let bgImage: string | null = null;
    for (const el of [document.body, section, pageBackground]) {
      if (!el) continue;
      const s = getComputedStyle(el);
      const c = rgba(s.backgroundColor);
      if (c.a > 0) bgColour = blend(c.hex, bgColour, c.a);
      const url = /url\("?([^")]+)"?\)/.exec(s.backgroundImage)?.[1];
      if (url) bgImage = new URL(url, location.href).pathname;
    }
    const background = { color: bgColour, image: bgImage };
    if (notesOnly || !section) return { layout, background, shapes: [], chrome: [], notes };

    const shapes: SlideShape[] = [];
    const chrome: ChromeShape[] = [];
    const hidden = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0;
    };
    /** The colour behind an element: its nearest filled ancestor, else the slide's. */
    const behind = (el: Element | null): string => {
      for (let e = el; e && e !== document.body; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c.a > 0.5) return c.hex;
      }
      return bgColour;
    };
    const fillOf = (el: Element): string | null => {
      const c = rgba(getComputedStyle(el).backgroundColor);
      return c.a > 0 ? blend(c.hex, behind(el.parentElement), c.a) : null;
    };
    const opacityOf = (el: Element): number => {
      let o = 1;
      for (let e: Element | null = el; e && e !== section; e = e.parentElement)
        o *= Number(getComputedStyle(e).opacity);
      return o;
    };

    /** The runs of an element's inline content; nested lists and media are left to their own shapes. */
    const runsOf = (root: Element, keepSpaces = false, nodes?: Node[]): ShapeRun[] => {
      const runs: ShapeRun[] = [];
      const push = (text: string, el: Element): void => {
        const s = getComputedStyle(el);
        const colour = rgba(s.color);
        const code = el.closest('code');
        const codeFill = code && !code.closest('pre') ? rgba(getComputedStyle(code).backgroundColor) : null;
        const align = s.verticalAlign;
        const decoration = s.textDecorationLine;
        const run: ShapeRun = {
          text,
          bold: Number(s.fontWeight) >= 600,
          italic: s.fontStyle === 'italic' || s.fontStyle.startsWith('oblique'),
          underline: decoration.includes('underline'),
          strike: decoration.includes('line-through'),
          color: blend(colour.hex, behind(el), colour.a * opacityOf(el)),
          size: px(s.fontSize),
          fonts: stack(s.fontFamily),
          ...(align === 'super' || el.closest('sup') ? { baseline: 'super' as const } : {}),
          ...(align === 'sub' || el.closest('sub') ? { baseline: 'sub' as const } : {}),
          ...(codeFill && codeFill.a > 0 ? { highlight: codeFill.hex } : {}),
          ...(() => {
            const link = linkOf(el.closest('a'));
            return link ? { link } : {};
          })(),
        };
        const last = runs[runs.length - 1];
        const same =
          last &&
          JSON.stringify({ ...last, text: '' }) === JSON.stringify({ ...run, text: '' }) &&
          !last.text.endsWith('\n');
        if (same) last.text += text;
        else runs.push(run);
      };
      const walk = (node: Node): void => {
        if (node.nodeType === Node.TEXT_NODE) {
          const parent = node.parentElement!;
          const raw = node.textContent ?? '';
          const text = keepSpaces ? raw : raw.replace(/\s+/g, ' ');
          if (!text) return;
          if (!keepSpaces && !text.trim() && (runs.length === 0 || runs[runs.length - 1]!.text.endsWith(' '))) return;
          push(text, parent);
          return;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        const el = node as Element;
        if (el.localName === 'ul' || el.localName === 'ol' || el.localName === 'aside') return;
        if (el !== root && (el.matches(chromeSelector) || hidden(el))) return;
        if (el.localName === 'br') {
          if (runs.length) runs[runs.length - 1]!.text += '\n';
          return;
        }
        // A formula in a line of text is its TeX source, in the formula's style.
        if (el.classList.contains('katex')) {
          const tex = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent?.trim();
          // In the line's own type: KaTeX sets its letters larger than the text around them.
          if (tex) push(tex, el.parentElement ?? el);
          return;
        }
        if (el.matches(media) || el.localName === 'img') {
          const alt = el.getAttribute('alt');
          // An emoji drawn as a picture is the character it stands for.
          if (el.localName === 'img' && alt && /\p{Extended_Pictographic}/u.test(alt)) push(alt, el);
          return;
        }
        // Text a template adds with CSS (a separator between names, a label) is on the slide too.
        const added = (which: '::before' | '::after'): void => {
          if (el === root && el.localName === 'li') return;
          const content = getComputedStyle(el, which).content;
          const text = /^"(.*)"$/.exec(content)?.[1];
          if (text) push(text, el);
        };
        added('::before');
        for (const child of Array.from(el.childNodes)) walk(child);
        added('::after');
      };
      if (nodes) nodes.forEach(walk);
      else walk(root);
      if (!keepSpaces && runs.length) {
        runs[0]!.text = runs[0]!.text.trimStart();
        runs[runs.length - 1]!.text = runs[runs.length - 1]!.text.trimEnd();
      }
      return runs.filter((r) => r.text !== '');
    };
    const alignOf = (el: Element): ShapeParagraph['align'] => {
      const a = getComputedStyle(el).textAlign;
      return a === 'center' ? 'center' : a === 'right' || a === 'end' ? 'right' : 'left';
    };
    const lineHeightOf = (el: Element): number => {
      const s = getComputedStyle(el);
      return s.lineHeight === 'normal' ? px(s.fontSize) * 1.2 : px(s.lineHeight);
    };
    /** The content box of an element on the page. */
    const contentRect = (el: Element): DOMRect => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      const l = px(s.paddingLeft) + px(s.borderLeftWidth);
      const t = px(s.paddingTop) + px(s.borderTopWidth);
      const rr = px(s.paddingRight) + px(s.borderRightWidth);
      const b = px(s.paddingBottom) + px(s.borderBottomWidth);
      return new DOMRect(r.left + l, r.top + t, Math.max(0, r.width - l - rr), Math.max(0, r.height - t - b));
    };
    /**
     * Where the text of an element is: its lines' height, and as wide as the room its container
     * gives it (a heading may be only as wide as its words), grown on the side its alignment
     * leaves free, so text in another font's wider letters wraps where the slide would.
     */
    const textRect = (el: Element): DOMRect => {
      const content = contentRect(el);
      const range = document.createRange();
      range.selectNodeContents(el);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
      if (!rects.length) return content;
      const top = Math.min(...rects.map((r) => r.top));
      const bottom = Math.max(...rects.map((r) => r.bottom));
      let left = Math.min(content.left, ...rects.map((r) => r.left));
      let right = Math.max(content.right, ...rects.map((r) => r.right));
      const room = el.parentElement && el.parentElement !== document.body ? contentRect(el.parentElement) : null;
      if (room && room.width > 0) {
        const align = alignOf(el);
        const leftRoom = Math.max(0, left - Math.max(room.left, x0));
        const rightRoom = Math.max(0, Math.min(room.right, x0 + width * scale) - right);
        if (align === 'left') right += rightRoom;
        else if (align === 'right') left -= leftRoom;
        else {
          const both = Math.min(leftRoom, rightRoom);
          left -= both;
          right += both;
        }
      }
      return new DOMRect(left, top, right - left, bottom - top);
    };

    // Consecutive text blocks of one container are one text box.
    let open: { parent: Element; shape: Extract<SlideShape, { kind: 'text' }>; bottom: number } | null = null;
    const addParagraphs = (
      el: Element,
      paragraphs: ShapeParagraph[],
      role: 'title' | 'body',
      at?: { rect: DOMRect; parent: Element },
    ): void => {
      if (!paragraphs.length) return;
      const r = at?.rect ?? textRect(el);
      const box = boxOf(r);
      const parent = at?.parent ?? el.parentElement;
      if (role === 'body' && open && open.parent === parent && shapes[shapes.length - 1] === open.shape) {
        paragraphs[0]!.spaceBefore = Math.max(0, (r.top - open.bottom) / scale);
        const b = open.shape.box;
        const right = Math.max(b.x + b.w, box.x + box.w);
        const bottom = Math.max(b.y + b.h, box.y + box.h);
        b.x = Math.min(b.x, box.x);
        b.w = right - b.x;
        b.h = bottom - b.y;
        open.shape.paragraphs.push(...paragraphs);
        open.bottom = r.bottom;
        return;
      }
      const shape: SlideShape = { kind: 'text', role, box, paragraphs, wrap: true };
      shapes.push(shape);
      open = role === 'body' && parent ? { parent, shape, bottom: r.bottom } : null;
    };
    const paragraphOf = (el: Element): ShapeParagraph => ({
      runs: runsOf(el),
      bullet: null,
      level: 0,
      align: alignOf(el),
      spaceBefore: 0,
      lineHeight: lineHeightOf(el),
    });
    const listParagraphs = (list: Element, level: number, out: ShapeParagraph[]): void => {
      const style = getComputedStyle(list);
      let number = Number(list.getAttribute('start') ?? 1) || 1;
      for (const li of Array.from(list.children)) {
        if (li.localName !== 'li' || hidden(li)) continue;
        const runs = runsOf(li);
        const marker = getComputedStyle(li, '::marker').content;
        const before = getComputedStyle(li, '::before').content;
        const kind = list.localName === 'ol' || /decimal|alpha|roman/.test(style.listStyleType) ? 'number' : 'disc';
        const char =
          style.listStyleType === 'circle'
            ? '◦'
            : style.listStyleType === 'square'
              ? '▪'
              : /^"(.+)"$/.exec(before)?.[1]?.trim() || /^"(.+)"$/.exec(marker)?.[1]?.trim() || '•';
        const none = style.listStyleType === 'none' && !/^".+"$/.test(before);
        const markerColour = rgba(getComputedStyle(li, /^".+"$/.test(before) ? '::before' : '::marker').color);
        const color = blend(markerColour.hex, behind(li), markerColour.a);
        if (runs.length)
          out.push({
            runs,
            bullet: none
              ? null
              : kind === 'number'
                ? { kind: 'number', start: number, color }
                : { kind: 'disc', char, color },
            level,
            align: 'left',
            spaceBefore: out.length ? Math.max(0, px(getComputedStyle(li).marginTop)) / scale : 0,
            lineHeight: lineHeightOf(li),
          });
        number++;
        for (const nested of Array.from(li.children))
          if (nested.localName === 'ul' || nested.localName === 'ol') listParagraphs(nested, level + 1, out);
        // Pictures and code inside an item are shapes of their own.
        for (const inner of Array.from(li.querySelectorAll(`${media}, pre, table`)))
          if (!inner.parentElement?.closest(`${media}, pre, table`)) visitMedia(inner);
      }
    };

    const addRect = (el: Element, r: DOMRect): void => {
      const s = getComputedStyle(el);
      const fill = rgba(s.backgroundColor);
      const sides = ['Top', 'Right', 'Bottom', 'Left'] as const;
      const widths = sides.map((side) => (s[`border${side}Style`] === 'none' ? 0 : px(s[`border${side}Width`])));
      const colours = sides.map((side) => rgba(s[`border${side}Color`]));
      const radius = px(s.borderTopLeftRadius);
      const all = widths.every((w) => w > 0 && w === widths[0]) && colours.every((c) => c.hex === colours[0]!.hex);
      if (fill.a > 0 || all)
        shapes.push({
          kind: 'rect',
          box: boxOf(r),
          fill: fill.a > 0 ? blend(fill.hex, behind(el.parentElement), fill.a) : null,
          line: all && colours[0]!.a > 0 ? { color: colours[0]!.hex, width: widths[0]! / scale } : null,
          radius: radius / scale,
        });
      // A single side's border (a quote's bar, a title's rule) is a thin filled box.
      if (!all)
        sides.forEach((side, i) => {
          const w = widths[i]!;
          const c = colours[i]!;
          if (w <= 0 || c.a === 0) return;
          const edge =
            side === 'Top'
              ? new DOMRect(r.left, r.top, r.width, w)
              : side === 'Bottom'
                ? new DOMRect(r.left, r.bottom - w, r.width, w)
                : side === 'Left'
                  ? new DOMRect(r.left, r.top, w, r.height)
                  : new DOMRect(r.right - w, r.top, w, r.height);
          shapes.push({ kind: 'rect', box: boxOf(edge), fill: c.hex, line: null, radius: 0 });
        });
      // Block pseudo-elements with a fill (an accent bar over or under a title).
      for (const which of ['::before', '::after'] as const) {
        const p = getComputedStyle(el, which);
        if (p.content === 'none' || p.content === 'normal' || p.display !== 'block') continue;
        const pf = rgba(p.backgroundColor);
        const pw = px(p.width);
        const ph = px(p.height);
        if (pf.a === 0 || !pw || !ph) continue;
        const c = contentRect(el);
        const y = which === '::before' ? c.top + px(p.marginTop) : c.bottom - ph - px(p.marginBottom);
        shapes.push({
          kind: 'rect',
          box: boxOf(new DOMRect(c.left + px(p.marginLeft), y, pw, ph)),
          fill: pf.hex,
          line: null,
          radius: 0,
        });
      }
    };

    const visitMedia = (el: Element): void => {
      if (hidden(el)) return;
      const r = el.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return;
      if (el.localName === 'pre') {
        addCode(el);
        return;
      }
      if (el.localName === 'table') {
        addTable(el as HTMLTableElement);
        return;
      }
      if (el.localName === 'img') {
        const img = el as HTMLImageElement;
        const path = img.currentSrc ? new URL(img.currentSrc, location.href) : null;
        const raster = path && path.origin === location.origin && /\.(png|jpe?g|gif)$/i.test(path.pathname);
        const fit = getComputedStyle(img).objectFit;
        if (raster && img.naturalWidth)
          shapes.push({
            kind: 'picture',
            box: boxOf(contentRect(img)),
            src: path.pathname,
            alt: img.getAttribute('alt') ?? '',
            natural: { w: img.naturalWidth, h: img.naturalHeight },
            fit: fit === 'contain' || fit === 'scale-down' ? 'contain' : fit === 'cover' ? 'cover' : 'fill',
          });
        else shapes.push({ kind: 'render', box: boxOf(r), clip: clipOf(r), alt: img.getAttribute('alt') ?? '' });
        return;
      }
      const tex = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent?.trim();
      // A formula is its TeX source; a diagram its label (its source, or accTitle); else its title.
      const alt =
        tex ||
        el.getAttribute('aria-label') ||
        el.closest('figure[aria-label], [role="img"][aria-label]')?.getAttribute('aria-label') ||
        el.querySelector('title')?.textContent ||
        '';
      shapes.push({ kind: 'render', box: boxOf(r), clip: clipOf(r), alt: alt.trim() });
    };

    const addCode = (pre: Element): void => {
      // Of a code block's steps (one `code` a step, stacked), the one shown.
      const code =
        Array.from(pre.querySelectorAll(':scope > code')).find((c) => !hidden(c)) ?? pre.querySelector('code') ?? pre;
      // Its panel: the block's fill, or its code's (a highlighter's theme colours the code).
      addRect(pre, pre.getBoundingClientRect());
      if (code !== pre && rgba(getComputedStyle(pre).backgroundColor).a === 0)
        addRect(code, code.getBoundingClientRect());
      // Line by line: the runs split where the text breaks.
      const runs = runsOf(code, true);
      const paragraphs: ShapeParagraph[] = [];
      const lineHeight = lineHeightOf(code);
      let current: ShapeRun[] = [];
      const flush = (): void => {
        paragraphs.push({ runs: current, bullet: null, level: 0, align: 'left', spaceBefore: 0, lineHeight });
        current = [];
      };
      for (const run of runs) {
        const parts = run.text.split('\n');
        parts.forEach((part, i) => {
          if (i > 0) flush();
          if (part) current.push({ ...run, text: part.replace(/\t/g, '    ') });
        });
      }
      if (current.length) flush();
      while (paragraphs.length && paragraphs[paragraphs.length - 1]!.runs.length === 0) paragraphs.pop();
      if (!paragraphs.length) return;
      // Inside the panel's padding: the code element's when it is a block of its own.
      const inner = code !== pre && getComputedStyle(code).display !== 'inline' ? code : pre;
      shapes.push({ kind: 'text', role: 'code', box: boxOf(contentRect(inner)), paragraphs, wrap: false });
    };

    const addTable = (table: HTMLTableElement): void => {
      const rows = Array.from(table.rows).filter((row) => !hidden(row));
      if (!rows.length) return;
      // Column widths from the row with the most cells of span 1.
      const widest = rows.reduce((best, row) => (row.cells.length > best.cells.length ? row : best), rows[0]!);
      const columns = Array.from(widest.cells).flatMap((cell) =>
        Array.from({ length: cell.colSpan }, () => cell.getBoundingClientRect().width / cell.colSpan / scale),
      );
      shapes.push({
        kind: 'table',
        box: boxOf(table.getBoundingClientRect()),
        columns,
        rows: rows.map((row) => ({
          height: row.getBoundingClientRect().height / scale,
          cells: Array.from(row.cells).map((cell): TableCellShape => {
            const s = getComputedStyle(cell);
            const fill = rgba(s.backgroundColor);
            const rowFill = rgba(getComputedStyle(row).backgroundColor);
            const b = rgba(s.borderBottomColor);
            const bw = s.borderBottomStyle === 'none' ? 0 : px(s.borderBottomWidth);
            const va = s.verticalAlign;
            return {
              paragraphs: [{ ...paragraphOf(cell), align: alignOf(cell) }],
              header: cell.localName === 'th',
              fill: fill.a > 0 ? fill.hex : rowFill.a > 0 ? rowFill.hex : null,
              border: bw > 0 && b.a > 0 ? { color: b.hex, width: bw / scale } : null,
              colspan: cell.colSpan,
              rowspan: cell.rowSpan,
              valign: va === 'middle' ? 'middle' : va === 'bottom' ? 'bottom' : 'top',
              padding: [s.paddingTop, s.paddingRight, s.paddingBottom, s.paddingLeft].map((v) => px(v) / scale) as [
                number,
                number,
                number,
                number,
              ],
            };
          }),
        })),
      });
    };

    /** An inline box with blocks inside (an inline-block panel of headings and paragraphs) is a container. */
    const holdsBlocks = (el: Element): boolean =>
      Array.from(el.querySelectorAll('*')).some(
        (d) => !d.closest('.katex, svg, math') && blockDisplay.test(getComputedStyle(d).display),
      );

    const titleEl = Array.from(
      section.querySelectorAll('.slide-title, .deck-title, .section-title, .statement, h1, h2, h3'),
    ).find((el) => !el.closest('aside.notes') && !hidden(el) && (el.textContent ?? '').trim());

    const visit = (el: Element): void => {
      if (el.localName === 'aside' || el.localName === 'script' || el.localName === 'style') return;
      if (hidden(el)) {
        // A hidden box may still show children that set themselves visible.
        if (getComputedStyle(el).display !== 'none') for (const child of Array.from(el.children)) visit(child);
        return;
      }
      if (el.matches(chromeSelector)) {
        const r = el.getBoundingClientRect();
        if (r.width < 1 || r.height < 1) return;
        if (
          el.localName === 'img' &&
          !/\.(png|jpe?g|gif)$/i.test(
            new URL((el as HTMLImageElement).currentSrc || (el as HTMLImageElement).src, location.href).pathname,
          )
        ) {
          // A logo PowerPoint cannot draw as it is (SVG) is photographed on each slide.
          shapes.push({ kind: 'render', box: boxOf(r), clip: clipOf(r), alt: '' });
        } else if (el.localName === 'img') {
          const img = el as HTMLImageElement;
          chrome.push({
            kind: 'logo',
            box: boxOf(contentRect(img)),
            src: new URL(img.currentSrc || img.src, location.href).pathname,
            natural: { w: img.naturalWidth, h: img.naturalHeight },
          });
        } else {
          const kind = el.matches('.slide-footer, .slide-header') ? 'footer' : 'number';
          chrome.push({ kind, box: boxOf(r), paragraphs: [paragraphOf(el)], fill: fillOf(el) });
        }
        return;
      }
      const r = el.getBoundingClientRect();
      // A code block draws its own box.
      if (el !== section && el.localName !== 'pre') addRect(el, r);
      if (el.matches(`${media}, pre, table`)) {
        visitMedia(el);
        return;
      }
      if (el.localName === 'ul' || el.localName === 'ol') {
        const paragraphs: ShapeParagraph[] = [];
        listParagraphs(el, 0, paragraphs);
        const before = shapes.length;
        addParagraphs(el, paragraphs, 'body');
        // PowerPoint hangs a bullet 27 points (36 pixels) left of its text: the box starts there.
        const added = shapes[shapes.length - 1];
        if (shapes.length > before && added?.kind === 'text' && paragraphs.some((p) => p.bullet)) {
          added.box.x -= 36;
          added.box.w += 36;
        }
        return;
      }
      const children = Array.from(el.children);
      const blockChild = children.some(
        (c) => (blockDisplay.test(getComputedStyle(c).display) || holdsBlocks(c)) && !c.matches(chromeSelector),
      );
      const text = (el.textContent ?? '').trim();
      if (!blockChild && text && el !== section) {
        addParagraphs(el, [paragraphOf(el)], el === titleEl ? 'title' : 'body');
        if (el === titleEl) open = null;
        // Media inside a line of text are shapes of their own.
        for (const inner of Array.from(el.querySelectorAll(`${media}`)))
          if (!inner.parentElement?.closest(media) && !inner.closest('.katex')) visitMedia(inner);
        return;
      }
      if (!blockChild && !text && el !== section) {
        for (const inner of Array.from(el.querySelectorAll(media)))
          if (!inner.parentElement?.closest(media)) visitMedia(inner);
        return;
      }
      // Blocks, and between them text with no block of its own (a line beside a display
      // formula, raw HTML): each stretch of such text is a paragraph of this container.
      let inline: Node[] = [];
      const flush = (): void => {
        const nodes = inline;
        inline = [];
        if (!nodes.some((n) => (n.textContent ?? '').trim())) return;
        const range = document.createRange();
        range.setStartBefore(nodes[0]!);
        range.setEndAfter(nodes[nodes.length - 1]!);
        const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
        const runs = runsOf(el, false, nodes);
        if (rects.length && runs.length) {
          const content = contentRect(el);
          const top = Math.min(...rects.map((r) => r.top));
          const bottom = Math.max(...rects.map((r) => r.bottom));
          addParagraphs(
            el,
            [{ runs, bullet: null, level: 0, align: alignOf(el), spaceBefore: 0, lineHeight: lineHeightOf(el) }],
            'body',
            { rect: new DOMRect(content.left, top, content.width, bottom - top), parent: el },
          );
        }
        for (const n of nodes)
          if (n instanceof Element)
            for (const inner of n.matches(media) ? [n] : Array.from(n.querySelectorAll(media)))
              if (!inner.parentElement?.closest(media) && !inner.closest('.katex')) visitMedia(inner);
      };
      for (const node of Array.from(el.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) inline.push(node);
        else if (node.nodeType === Node.ELEMENT_NODE) {
          const child = node as Element;
          if (
            blockDisplay.test(getComputedStyle(child).display) ||
            child.matches(chromeSelector) ||
            holdsBlocks(child)
          ) {
            flush();
            visit(child);
          } else if (getComputedStyle(child).display === 'none' || child.localName === 'aside') continue;
          else inline.push(child);
        }
      }
      flush();
    };
    for (const child of Array.from(section.children)) visit(child);
    // Each text box reaches down to what is below it (or the slide's foot), so a font with taller
    // lines has room before its text shrinks, and text never runs into the next shape.
    for (const shape of shapes) {
      if (shape.kind !== 'text' || shape.role === 'code') continue;
      const b = shape.box;
      let limit = height - 8;
      for (const other of shapes) {
        if (other === shape || other.kind === 'rect') continue;
        const o = other.box;
        if (o.y >= b.y + b.h - 1 && o.x < b.x + b.w && o.x + o.w > b.x) limit = Math.min(limit, o.y);
      }
      b.h = Math.max(b.h, limit - b.y - 4);
    }
    // Reveal's printed slide number sits on the page, outside the section.
    for (const number of Array.from(page.querySelectorAll('.slide-number-pdf')))
      if (!hidden(number) && (number.textContent ?? '').trim())
        chrome.push({
          kind: 'number',
          box: boxOf(number.getBoundingClientRect()),
          paragraphs: [paragraphOf(number)],
          fill: fillOf(number),
        });
    return { layout, background, shapes, chrome, notes };
  });

  const body = getComputedStyle(document.querySelector('.reveal') ?? document.body);
  const heading = document.querySelector('.reveal h2, .reveal h1');
  const fallbackBg = colourOf(body.backgroundColor, '#ffffff');
  return {
    slides,
    theme: {
      background: colourOf(prop('--lectern-bg', ''), fallbackBg),
      text: colourOf(prop('--lectern-fg', body.color), '#000000'),
      heading: heading ? colourOf(getComputedStyle(heading).color, '#000000') : colourOf(body.color, '#000000'),
      accent: colourOf(prop('--lectern-accent', ''), '#1f6feb'),
      muted: colourOf(prop('--lectern-muted', ''), '#666666'),
      rule: colourOf(prop('--lectern-rule', ''), '#cccccc'),
      codeBackground: colourOf(prop('--lectern-code-bg', ''), '#f4f4f4'),
      headingFonts: stack(heading ? getComputedStyle(heading).fontFamily : body.fontFamily),
      bodyFonts: stack(body.fontFamily),
    },
  };
}
