import { measureSlide } from './measure-slide.js';

/** The share of its size a slide's text may be scaled down to, at the least. */
export const FIT_FLOOR = 0.3;

/**
 * Runs in the deck: scales the content of each `data-fit="shrink"` slide down (CSS `zoom`, so
 * the text reflows) by halving steps until it fits, measured by the overflow check's own code
 * with every fragment shown; the scale chosen is left in `data-lectern-fit-scale`. Runs when
 * Reveal.js is ready, when the fonts are in and after its print layout, so screen and PDF agree.
 * Self-contained: it is written into the deck as a script.
 */
function fitSlides(measure: typeof measureSlide, floor: number): void {
  const style = document.createElement('style');
  style.textContent =
    '.lectern-measuring .fragment { visibility: visible !important; opacity: 1 !important; transition: none !important; }';
  document.head.append(style);
  const fit = (): void => {
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

/** The script a deck with `fit: shrink` slides carries (`_lectern/fit.js`). */
export function fitScript(): string {
  return `(${fitSlides.toString()})(${measureSlide.toString()}, ${FIT_FLOOR});\n`;
}
