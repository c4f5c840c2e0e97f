import { measureSlide } from './measure-slide.js';

/** The share of its size a slide's text may be scaled down to, at the least. */
export const FIT_FLOOR = 0.3;

/**
 * The smallest code type, in pixels of a 1280-pixel-wide slide (scaled with the deck's width):
 * 16 px is about 0.45 of the 34 px body type, what a projected screen's back row still reads.
 */
export const CODE_FLOOR_PX = 16;

/**
 * Runs in the deck: a code block too tall or too wide for its room (its own scrolling box, or the
 * slide) sets its own type smaller, to the largest size at which it fits but never below
 * `floorPx` (of a 1280-pixel slide), before anything else of the slide shrinks. The size chosen
 * is left in `data-lectern-code-size`. Self-contained, as `fitSlides`.
 */
function fitCode(measure: typeof measureSlide, floorPx: number): void {
  const reveal = (window as unknown as { Reveal?: { getConfig: () => { width: number | string } } }).Reveal;
  const floor = floorPx * ((Number(reveal?.getConfig().width) || 1280) / 1280);
  for (const section of Array.from(document.querySelectorAll<HTMLElement>('section[data-lectern-slide]'))) {
    const blocks = Array.from(section.querySelectorAll<HTMLElement>('pre')).filter(
      (pre) => !pre.closest('aside.notes'),
    );
    if (!blocks.length) continue;
    const shown = section.style.display;
    if (getComputedStyle(section).display === 'none') section.style.display = 'block';
    section.classList.add('lectern-measuring');
    for (const pre of blocks) {
      pre.style.fontSize = '';
      delete pre.dataset.lecternCodeSize;
      const base = parseFloat(getComputedStyle(pre).fontSize);
      if (!(base > floor)) continue;
      const codes = Array.from(pre.querySelectorAll<HTMLElement>(':scope > code'));
      const inItsBox = (): boolean =>
        codes.every((c) => c.scrollHeight - c.clientHeight <= 1 && c.scrollWidth - c.clientWidth <= 1);
      const onTheSlide = (): boolean => {
        const scale = section.getBoundingClientRect().width / (section.offsetWidth || 1) || 1;
        return measure(section, scale).down <= 1;
      };
      const fits = (px: number): boolean => {
        pre.style.fontSize = `${px}px`;
        return inItsBox() && onTheSlide();
      };
      if (fits(base)) {
        pre.style.fontSize = '';
        continue;
      }
      // A block that fits its box, on a slide too full for another reason, is left as it is
      // unless making it smaller is what lets the slide fit.
      const clipped = !inItsBox();
      let low = floor;
      let high = base;
      if (!fits(low)) {
        pre.style.fontSize = clipped ? `${floor}px` : '';
        if (clipped) pre.dataset.lecternCodeSize = String(Math.round(floor * 10) / 10);
        continue;
      }
      for (let i = 0; i < 7; i++) {
        const mid = (low + high) / 2;
        if (fits(mid)) low = mid;
        else high = mid;
      }
      const px = Math.floor(low * 10) / 10;
      pre.style.fontSize = `${px}px`;
      pre.dataset.lecternCodeSize = String(px);
    }
    section.classList.remove('lectern-measuring');
    section.style.display = shown;
  }
}

/**
 * Runs in the deck: scales the content of each `data-fit="shrink"` slide down (CSS `zoom`, so
 * the text reflows) by halving steps until it fits, measured by the overflow check's own code
 * with every fragment shown; the scale chosen is left in `data-lectern-fit-scale`. Runs when
 * Reveal.js is ready, when the fonts are in and after its print layout, so screen and PDF agree.
 * Self-contained: it is written into the deck as a script.
 */
function fitSlides(measure: typeof measureSlide, floor: number, code: () => void): void {
  const style = document.createElement('style');
  // A shrinking slide's code blocks do not scroll: what they hold grows the slide, which the
  // zoom then fits (a block's own scrolling box would shrink with it and still cut it off).
  style.textContent =
    '.lectern-measuring .fragment { visibility: visible !important; opacity: 1 !important; transition: none !important; }' +
    ' section[data-fit="shrink"] pre code { max-height: none !important; }';
  document.head.append(style);
  const fit = (): void => {
    // Code first: a block sets its own type smaller before the slide is zoomed.
    code();
    for (const section of Array.from(document.querySelectorAll<HTMLElement>('section[data-fit="shrink"]'))) {
      // The title and the body each, inside a layout's frame, as everything else of the slide.
      const parts = Array.from(section.children)
        .flatMap((el) => (el.classList.contains('slide-frame') ? Array.from(el.children) : [el]))
        .filter(
          (el): el is HTMLElement =>
            el instanceof HTMLElement && !(el.localName === 'aside' && el.classList.contains('notes')),
        );
      const shown = section.style.display;
      // A slide far from the current one is not displayed: it is measured displayed.
      if (getComputedStyle(section).display === 'none') section.style.display = 'block';
      section.classList.add('lectern-measuring');
      const zoom = (z: number): void => {
        for (const part of parts) part.style.zoom = z === 1 ? '' : String(z);
      };
      const fits = (z: number): boolean => {
        zoom(z);
        const scale = section.getBoundingClientRect().width / (section.offsetWidth || 1) || 1;
        const m = measure(section, scale);
        return m.down <= 1 && m.sideways <= 1 && m.clipped.length === 0;
      };
      let chosen = 1;
      if (!fits(1)) {
        let low = floor;
        let high = 1;
        for (let i = 0; i < 8; i++) {
          const mid = (low + high) / 2;
          if (fits(mid)) low = mid;
          else high = mid;
        }
        chosen = Math.floor(low * 100) / 100;
      }
      zoom(chosen);
      section.dataset.lecternFitScale = String(chosen);
      section.classList.remove('lectern-measuring');
      section.style.display = shown;
    }
  };
  const reveal = (window as unknown as { Reveal?: { on: (event: string, f: () => void) => void } }).Reveal;
  reveal?.on('ready', fit);
  reveal?.on('pdf-ready', fit);
  void document.fonts.ready.then(fit);
}

/** The script a deck with code blocks or `fit: shrink` slides carries (`_lectern/fit.js`). */
export function fitScript(): string {
  const measure = measureSlide.toString();
  return `(${fitSlides.toString()})(${measure}, ${FIT_FLOOR}, () => (${fitCode.toString()})(${measure}, ${CODE_FLOOR_PX}));\n`;
}
