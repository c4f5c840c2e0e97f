/** A stretch of text in one style, as a slide shows it. */
export interface TextRun {
  text: string;
  bold: boolean;
  italic: boolean;
  /** `#rrggbb`. */
  color: string;
  /** In deck pixels. */
  size: number;
  /** The first family the style names. */
  font: string;
}

/** A paragraph or a list item. */
export interface TextParagraph {
  runs: TextRun[];
  /** A list item: its list's kind and how deep it is (0 for a top-level item). */
  bullet: 'disc' | 'number' | null;
  level: number;
  align: 'left' | 'center' | 'right';
}

/**
 * A box of text on a slide: where it is on the page in CSS pixels from the document's top left
 * corner (the picture's code maps it onto the picture), its font sizes in CSS pixels.
 */
export interface TextBox {
  x: number;
  y: number;
  w: number;
  h: number;
  paragraphs: TextParagraph[];
}

/** What of a printed slide can be real, editable text: its title and, when it is only text, its body. */
export interface SlideText {
  /** The slide's layout (`data-layout`). */
  layout: string;
  title: TextBox | null;
  body: TextBox | null;
  /** The speaker notes, a paragraph a line. */
  notes: string;
}

/**
 * Reads the text of every printed slide page, in page order, and hides the text it read, so a
 * picture of the page shows the rest. Slides whose layout is one of `layouts` give their title
 * and body; a body that holds anything but text (a picture, code, a table, a formula) stays in
 * the picture, as does the body of every other layout, whose title is still text. Slides of a
 * `pictureOnly` layout (a caption over a full-bleed image) give no text. Every page gives its notes.
 *
 * Runs in the page, so it stays self-contained: no imports and no helpers from outside its body.
 */
export function readSlideText(layouts: string[], pictureOnly: string[]): SlideText[] {
  const media = 'img, svg, video, audio, canvas, iframe, object, embed, pre, table, math, figure, .mermaid, .katex';
  const hex = (rgb: string): string => {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(rgb);
    return m ? `#${[m[1], m[2], m[3]].map((v) => Number(v).toString(16).padStart(2, '0')).join('')}` : '#000000';
  };
  const out: SlideText[] = [];
  const pages = Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page'));
  for (const page of pages) {
    const section = page.querySelector<HTMLElement>('section[data-lectern-slide]') ?? page.querySelector('section');
    const layout = section?.dataset.layout ?? '';
    const notesEl = section?.querySelector('aside.notes');
    const notes = notesEl
      ? Array.from(notesEl.querySelectorAll('p, li'))
          .map((p) => p.textContent?.replace(/\s+/g, ' ').trim() ?? '')
          .filter(Boolean)
          .join('\n') || (notesEl.textContent ?? '').replace(/\s+/g, ' ').trim()
      : (section?.getAttribute('data-notes') ?? '');
    if (!section || pictureOnly.includes(layout)) {
      out.push({ layout, title: null, body: null, notes });
      continue;
    }
    const frame = section.getBoundingClientRect();
    const inNotes = (el: Element): boolean => Boolean(el.closest('aside.notes'));

    const runsOf = (block: Element): TextRun[] => {
      const runs: TextRun[] = [];
      const walk = (node: Node): void => {
        if (node.nodeType === Node.TEXT_NODE) {
          const parent = node.parentElement!;
          const text = (node.textContent ?? '').replace(/\s+/g, ' ');
          if (!text.trim() && runs.length === 0) return;
          const style = getComputedStyle(parent);
          if (style.visibility === 'hidden' || style.display === 'none') return;
          const run: TextRun = {
            text,
            bold: Number(style.fontWeight) >= 600,
            italic: style.fontStyle === 'italic',
            color: hex(style.color),
            size: Number.parseFloat(style.fontSize),
            font: style.fontFamily.split(',')[0]!.replace(/["']/g, '').trim(),
          };
          const last = runs[runs.length - 1];
          if (
            last &&
            last.bold === run.bold &&
            last.italic === run.italic &&
            last.color === run.color &&
            last.size === run.size &&
            last.font === run.font
          )
            last.text += run.text;
          else runs.push(run);
          return;
        }
        if (node.nodeType !== Node.ELEMENT_NODE) return;
        const el = node as Element;
        // A nested list is paragraphs of its own; a line break is a space here.
        if (el.localName === 'ul' || el.localName === 'ol' || el.localName === 'aside') return;
        if (el.localName === 'br') {
          if (runs.length) runs[runs.length - 1]!.text += ' ';
          return;
        }
        for (const child of Array.from(el.childNodes)) walk(child);
      };
      walk(block);
      if (runs.length) {
        runs[0]!.text = runs[0]!.text.trimStart();
        runs[runs.length - 1]!.text = runs[runs.length - 1]!.text.trimEnd();
      }
      return runs.filter((r) => r.text !== '');
    };
    const alignOf = (el: Element): TextParagraph['align'] => {
      const a = getComputedStyle(el).textAlign;
      return a === 'center' ? 'center' : a === 'right' || a === 'end' ? 'right' : 'left';
    };
    const boxOf = (els: Element[], paragraphs: TextParagraph[]): TextBox => {
      const rects = els.map((el) => el.getBoundingClientRect());
      const left = Math.min(...rects.map((r) => r.left));
      const top = Math.min(...rects.map((r) => r.top));
      // As wide as the space the text has (a heading may be only as wide as its words), so text
      // in another font's wider letters wraps where the slide would.
      const room = (el: Element): number => {
        const parent = el.parentElement?.getBoundingClientRect();
        const own = el.getBoundingClientRect();
        if (!parent) return own.right;
        const padding = Number.parseFloat(getComputedStyle(el.parentElement!).paddingRight) || 0;
        return Math.max(own.right, Math.min(parent.right - padding, frame.right));
      };
      const right = Math.max(...els.map(room));
      const bottom = Math.max(...rects.map((r) => r.bottom));
      return { x: left + window.scrollX, y: top + window.scrollY, w: right - left, h: bottom - top, paragraphs };
    };

    // The title: the slide's first heading (a statement's line).
    const titleEl = Array.from(section.querySelectorAll('h1, h2, h3, .statement')).find((el) => !inNotes(el)) ?? null;
    let title: TextBox | null = null;
    if (titleEl && !titleEl.querySelector(media) && (titleEl.textContent ?? '').trim()) {
      title = boxOf([titleEl], [{ runs: runsOf(titleEl), bullet: null, level: 0, align: alignOf(titleEl) }]);
    }
    // The body: every other block of text, when text is all there is.
    const blocks = Array.from(section.querySelectorAll('p, ul, ol, blockquote, h1, h2, h3, h4, h5, h6')).filter(
      (el) =>
        !inNotes(el) &&
        el !== titleEl &&
        !titleEl?.contains(el) &&
        !el.parentElement?.closest('p, ul, ol, blockquote, h4, h5, h6') &&
        (el.textContent ?? '').trim() !== '',
    );
    const hasMedia = Array.from(section.querySelectorAll(media)).some((el) => !inNotes(el));
    let body: TextBox | null = null;
    if (blocks.length && !hasMedia && layouts.includes(layout)) {
      const paragraphs: TextParagraph[] = [];
      const addList = (list: Element, level: number): void => {
        for (const li of Array.from(list.children)) {
          if (li.localName !== 'li') continue;
          const runs = runsOf(li);
          if (runs.length)
            paragraphs.push({ runs, bullet: list.localName === 'ol' ? 'number' : 'disc', level, align: 'left' });
          for (const nested of Array.from(li.children))
            if (nested.localName === 'ul' || nested.localName === 'ol') addList(nested, level + 1);
        }
      };
      for (const block of blocks) {
        if (block.localName === 'ul' || block.localName === 'ol') addList(block, 0);
        else if (block.localName === 'blockquote')
          for (const p of Array.from(block.querySelectorAll('p')).length
            ? Array.from(block.querySelectorAll('p'))
            : [block])
            paragraphs.push({ runs: runsOf(p), bullet: null, level: 0, align: alignOf(p) });
        else paragraphs.push({ runs: runsOf(block), bullet: null, level: 0, align: alignOf(block) });
      }
      body = boxOf(
        blocks,
        paragraphs.filter((p) => p.runs.length),
      );
    }
    // What is now text is not in the picture (fragments, which print visible, included).
    const hide = (el: Element): void => {
      for (const e of [el, ...Array.from(el.querySelectorAll('*'))]) {
        // At once: a fragment's visibility is transitioned, and a picture may be taken right away.
        (e as HTMLElement).style.setProperty('transition', 'none', 'important');
        (e as HTMLElement).style.setProperty('visibility', 'hidden', 'important');
      }
    };
    // A title keeps its rule or box in the picture: only its letters go.
    if (title)
      for (const e of [titleEl!, ...Array.from(titleEl!.querySelectorAll('*'))]) {
        const style = (e as HTMLElement).style;
        style.setProperty('transition', 'none', 'important');
        style.setProperty('color', 'transparent', 'important');
        style.setProperty('-webkit-text-fill-color', 'transparent', 'important');
        style.setProperty('text-shadow', 'none', 'important');
      }
    if (body) blocks.forEach(hide);
    out.push({ layout, title, body, notes });
  }
  return out;
}
