/** How far a slide's visible content reaches past its box, and what clips its own content. */
interface SlideMeasure {
  /** Pixels outside the slide, above plus below, and left plus right, at the deck's own size. */
  down: number;
  sideways: number;
  width: number;
  height: number;
  clipped: {
    element: string;
    axis: 'height' | 'width';
    by: number;
    size: number;
    line: number | null;
    /** A code block cut off at its foot: how many of its lines show, of how many. */
    lines?: { shown: number; total: number };
  }[];
  /** The first source line (`data-line`) with content outside the slide, when the slide overflows. */
  firstLineOutside: number | null;
}

/**
 * Visible content outside a slide's box (text, images, boxes with a background or border), and
 * elements that clip or scroll what they hold. Hidden fragments take space but show nothing, so
 * only what is visible in the current fragment state counts. `scale` is Reveal's.
 *
 * Runs in the page (the check's browser, and the preview's panel), so it stays self-contained:
 * no imports and no helpers from outside its body.
 */
export function measureSlide(section: HTMLElement, scale: number): SlideMeasure {
  const replaced = new Set(['img', 'svg', 'video', 'canvas', 'iframe', 'object', 'embed', 'input', 'audio']);
  const describe = (el: Element): string => {
    if (el.closest('pre')) return 'pre';
    const cls = el.getAttribute('class')?.trim().split(/\s+/)[0];
    return cls ? `${el.localName}.${cls}` : el.localName;
  };
  const box = section.getBoundingClientRect();
  const width = section.offsetWidth;
  const height = section.offsetHeight;
  let top = 0;
  let left = 0;
  let bottom = height;
  let right = width;
  const clipped: SlideMeasure['clipped'] = [];
  let firstLineOutside: number | null = null;
  const lineOf = (el: Element): number | null => {
    const line = Number(el.closest('[data-line]')?.getAttribute('data-line'));
    return Number.isInteger(line) && line > 0 ? line : null;
  };
  const extend = (r: DOMRect, el: Element): void => {
    // A box without width or height shows nothing (set math holds struts of no width).
    if (r.width <= 0 || r.height <= 0) return;
    const y0 = (r.top - box.top) / scale;
    const x0 = (r.left - box.left) / scale;
    const y1 = (r.bottom - box.top) / scale;
    const x1 = (r.right - box.left) / scale;
    top = Math.min(top, y0);
    left = Math.min(left, x0);
    bottom = Math.max(bottom, y1);
    right = Math.max(right, x1);
    if (y0 < -1 || x0 < -1 || y1 > height + 1 || x1 > width + 1) {
      const line = lineOf(el);
      if (line !== null && (firstLineOutside === null || line < firstLineOutside)) firstLineOutside = line;
    }
  };
  const range = document.createRange();
  const visit = (el: Element, visible: boolean): void => {
    for (const node of Array.from(el.childNodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        if (!visible || !node.textContent?.trim()) continue;
        range.selectNodeContents(node);
        // A glyph box can be taller than the line it sits on (a tight line-height): the line
        // box, centred on it, is what the layout gives the text.
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) * scale;
        for (const r of Array.from(range.getClientRects())) {
          const middle = r.top + r.height / 2;
          extend(
            Number.isFinite(lineHeight) && lineHeight < r.height
              ? new DOMRect(r.left, middle - lineHeight / 2, r.width, lineHeight)
              : r,
            el,
          );
        }
        continue;
      }
      if (!(node instanceof Element)) continue;
      if (node.localName === 'aside' && node.classList.contains('notes')) continue;
      const style = getComputedStyle(node);
      if (style.display === 'none') continue;
      // Text for screen readers only (a clipped box of a pixel: set math's MathML) shows nothing.
      const offscreen =
        (style.position === 'absolute' || style.position === 'fixed') &&
        (style.clip !== 'auto' || style.clipPath !== 'none') &&
        (node as HTMLElement).offsetWidth <= 1 &&
        (node as HTMLElement).offsetHeight <= 1;
      if (offscreen) continue;
      const shown = style.visibility === 'visible' && Number(style.opacity) > 0;
      if (replaced.has(node.localName)) {
        if (shown) extend(node.getBoundingClientRect(), node);
        continue;
      }
      const painted =
        style.backgroundImage !== 'none' ||
        !/^(transparent|rgba\(.*,\s*0\))$/.test(style.backgroundColor) ||
        parseFloat(style.borderTopWidth) +
          parseFloat(style.borderBottomWidth) +
          parseFloat(style.borderLeftWidth) +
          parseFloat(style.borderRightWidth) >
          0;
      if (shown && painted) extend(node.getBoundingClientRect(), node);
      if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
        const html = node as HTMLElement;
        if (shown) {
          extend(node.getBoundingClientRect(), node);
          const downBy = html.scrollHeight - html.clientHeight;
          const sideBy = html.scrollWidth - html.clientWidth;
          if (downBy > 1) {
            // A code block's lines: those its box shows whole, of all it holds.
            const cs = getComputedStyle(html);
            const lineHeight = parseFloat(cs.lineHeight);
            const room = html.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
            const lines =
              describe(node) === 'pre' && lineHeight > 0
                ? {
                    shown: Math.max(0, Math.floor(room / lineHeight + 0.01)),
                    total: (html.textContent ?? '').replace(/\n$/, '').split('\n').length,
                  }
                : undefined;
            clipped.push({
              element: describe(node),
              axis: 'height',
              by: downBy,
              size: html.clientHeight,
              line: lineOf(node),
              ...(lines ? { lines } : {}),
            });
          }
          if (sideBy > 1)
            clipped.push({
              element: describe(node),
              axis: 'width',
              by: sideBy,
              size: html.clientWidth,
              line: lineOf(node),
            });
        }
        continue;
      }
      visit(node, shown);
    }
  };
  visit(section, true);
  return {
    down: Math.max(0, -top) + Math.max(0, bottom - height),
    sideways: Math.max(0, -left) + Math.max(0, right - width),
    width,
    height,
    clipped,
    firstLineOutside,
  };
}

/**
 * What a clipped element is called in findings: a code block, or its tag and first class.
 * Self-contained like `measureSlide`: the preview's panel runs it in the page.
 */
export function clippedName(element: string | undefined): string {
  return element === 'pre' ? 'a code block' : `a ${element}`;
}

/**
 * What to do about a clipped element, by the way it is cut: a block too tall loses lines at its
 * foot (fewer lines, steps, or two slides), one too wide loses the ends of its lines.
 */
export function clippedHint(element: string | undefined, axis: 'height' | 'width' | undefined): string {
  if (element === 'pre')
    return axis === 'width'
      ? 'shorten or break the long lines'
      : 'show fewer lines: split the block over two slides, or light its lines in steps (```js [1-8|9-16])';
  return axis === 'width' ? 'shorten its long words or lines' : 'shorten what it holds, or split the slide';
}
