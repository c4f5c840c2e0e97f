/**
 * Handouts: several slides to a sheet of paper, laid out in the page that printed the deck, from
 * the slides it laid out for print (their text stays text, so the handout is tagged as the deck).
 */

/** How many slides a handout sheet holds. */
export type HandoutSlides = 2 | 3 | 6;
export const handoutCounts: readonly HandoutSlides[] = [2, 3, 6];

/** The paper a handout is printed on. */
export type Paper = 'a4' | 'letter';

/** Sheet sizes in millimetres, portrait. */
const sheets: Record<Paper, { width: number; height: number }> = {
  a4: { width: 210, height: 297 },
  letter: { width: 215.9, height: 279.4 },
};

/** CSS pixels in a millimetre. */
const PX_PER_MM = 96 / 25.4;

/** A sheet's size in CSS pixels. */
export function sheetPixels(paper: Paper): { width: number; height: number; name: string } {
  const { width, height } = sheets[paper];
  return { width: width * PX_PER_MM, height: height * PX_PER_MM, name: paper === 'a4' ? 'A4' : 'letter' };
}

/**
 * Where US Letter is the usual paper (Unicode CLDR's paper-size data); everywhere else, A4.
 * A language without a region takes its most likely one (`en` is `en-US`, `fr` is `fr-FR`).
 */
const letterRegions = new Set(['BZ', 'CA', 'CL', 'CO', 'CR', 'GT', 'MX', 'NI', 'PA', 'PH', 'PR', 'SV', 'US', 'VE']);

export function paperForLang(lang: string): Paper {
  let region: string | undefined;
  try {
    region = new Intl.Locale(lang).maximize().region;
  } catch {
    region = undefined;
  }
  return region && letterRegions.has(region.toUpperCase()) ? 'letter' : 'a4';
}

/** What the page made of the deck: the slides on each sheet (indices in reading order) and those whose notes were cut. */
export interface HandoutLayout {
  sheets: number[][];
  /** Slides whose notes did not fit beside them even at the smallest size. */
  cut: number[];
}

/**
 * Runs inside the page, after the deck's PDF was printed from it: replaces the printed pages
 * with handout sheets of `perPage` slides each. Each slide is a copy of its last printed page
 * (every fragment shown), zoomed out and framed; 3 a sheet have the slide's speaker notes beside
 * them, or ruled lines for writing where a slide has none. The sheet is white and its text
 * black, whatever the template; its running header (deck title, sheet number) is decoration,
 * left out of the document structure. A link to a slide leads to its place on its sheet.
 */
export function layOutHandout(
  perPage: 2 | 3 | 6,
  sheet: { width: number; height: number; name: string },
  title: string,
): HandoutLayout {
  const container = document.querySelector<HTMLElement>('.reveal .slides');
  if (!container) return { sheets: [], cut: [] };
  // The last printed page of each slide (fragment PDFs print a page per step).
  const last = new Map<number, HTMLElement>();
  for (const page of Array.from(container.querySelectorAll<HTMLElement>(':scope > .pdf-page'))) {
    const section = page.querySelector<HTMLElement>('section[data-lectern-slide]');
    if (section) last.set(Number(section.dataset.lecternSlide), page);
  }
  const slides = [...last.keys()];
  // Measured before the sheet's style narrows the body the printed pages take their width from.
  const sizes = new Map(
    [...last].map(([slide, page]) => [slide, { width: page.offsetWidth, height: page.offsetHeight }]),
  );
  const mm = 96 / 25.4;
  const margin = 12 * mm;
  const header = 8 * mm;
  const gap = 6 * mm;
  const columns = perPage === 6 ? 2 : 1;
  const rows = perPage === 2 ? 2 : 3;
  const innerWidth = sheet.width - 2 * margin;
  const innerHeight = sheet.height - 2 * margin - header;
  const cellWidth = (innerWidth - (columns - 1) * gap) / columns;
  const cellHeight = (innerHeight - (rows - 1) * gap) / rows;
  // 3 a sheet: the slide takes a little more than half the width; its notes the rest.
  const slideRoom =
    perPage === 3 ? { width: cellWidth * 0.55, height: cellHeight } : { width: cellWidth, height: cellHeight };

  // The deck's page size gives way to the sheet's (a second @page rule sets the paper, but the
  // page would still be laid out as wide as a slide and shrunk onto it).
  for (const rule of Array.from(document.querySelectorAll('style')))
    if (/^\s*@page\s*\{[^}]*\}\s*$/.test(rule.textContent ?? '')) rule.remove();
  const style = document.createElement('style');
  style.textContent = `
@page { size: ${sheet.name} portrait; margin: 0; }
html, body, .reveal-viewport, .reveal { background: #fff !important; background-image: none !important; }
body { width: ${sheet.width}px !important; height: auto !important; }
.reveal .slides > .lectern-handout-sheet {
  position: relative; box-sizing: border-box; width: ${sheet.width}px; height: ${sheet.height}px;
  padding: ${margin}px; overflow: hidden; background: #fff;
  break-after: page; page-break-after: always;
}
.reveal .slides > .lectern-handout-sheet:last-child { break-after: auto; page-break-after: auto; }
.lectern-handout-header { display: flex; justify-content: space-between; height: ${header}px;
  font-size: 8pt; line-height: 1.35; text-align: left; color: #000; border-bottom: 0.5pt solid #000; margin-bottom: ${gap / 2}px; box-sizing: border-box; }
.lectern-handout-grid { display: grid; grid-template-columns: repeat(${columns}, ${cellWidth}px);
  grid-auto-rows: ${cellHeight}px; gap: ${gap}px; }
.lectern-handout-cell { display: flex; gap: ${gap}px; align-items: ${perPage === 3 ? 'flex-start' : 'center'};
  justify-content: ${perPage === 3 ? 'flex-start' : 'center'}; overflow: hidden; }
.lectern-handout-slide { position: relative; flex: none; overflow: hidden; outline: 0.5pt solid #000; }
.lectern-handout-notes { flex: 1; height: ${cellHeight}px; overflow: hidden; color: #000 !important; font-size: 10pt;
  line-height: 1.35; text-align: left; }
.lectern-handout-notes * { color: #000 !important; background: none !important; font-size: inherit !important;
  line-height: inherit !important; margin-top: 0; }
.lectern-handout-lines > div { height: ${8 * mm}px; box-sizing: border-box; border-bottom: 0.5pt solid #777; }
`;
  document.head.append(style);

  const made: HTMLElement[] = [];
  const pages: number[][] = [];
  const cut: number[] = [];
  const fits: { notes: HTMLElement; slide: number }[] = [];
  const sheetCount = Math.ceil(slides.length / perPage);
  for (let s = 0; s < sheetCount; s++) {
    const on = slides.slice(s * perPage, (s + 1) * perPage);
    pages.push(on);
    const page = document.createElement('div');
    page.className = 'lectern-handout-sheet';
    const top = document.createElement('div');
    top.className = 'lectern-handout-header';
    top.setAttribute('aria-hidden', 'true');
    const name = document.createElement('span');
    name.textContent = title;
    const count = document.createElement('span');
    count.textContent = `${s + 1} / ${sheetCount}`;
    top.append(name, count);
    const grid = document.createElement('div');
    grid.className = 'lectern-handout-grid';
    for (const index of on) {
      const printed = last.get(index)!;
      const cell = document.createElement('div');
      cell.className = 'lectern-handout-cell';
      // Links to the slide (written as #lectern-page-N when the deck printed) find it here.
      cell.id = `lectern-page-${index}`;
      const { width, height } = sizes.get(index)!;
      const zoom = Math.min(slideRoom.width / width, slideRoom.height / height);
      const copy = printed.cloneNode(true) as HTMLElement;
      for (const el of [copy, ...Array.from(copy.querySelectorAll('[id]'))]) el.removeAttribute('id');
      for (const el of Array.from(copy.querySelectorAll('aside.notes'))) el.remove();
      copy.style.removeProperty('content-visibility');
      Object.assign(copy.style, {
        position: 'absolute',
        left: '0',
        top: '0',
        margin: '0',
        width: `${width}px`,
        height: `${height}px`,
        // Zoomed, not transformed: its layout is as small as it looks, or the print would be
        // laid out as wide as a slide and shrunk onto the sheet. Its text wraps as on the slide.
        zoom: String(zoom),
        breakAfter: 'auto',
        breakBefore: 'auto',
        pageBreakAfter: 'auto',
      });
      const frame = document.createElement('div');
      frame.className = 'lectern-handout-slide';
      frame.style.width = `${width * zoom}px`;
      frame.style.height = `${height * zoom}px`;
      frame.append(copy);
      cell.append(frame);
      if (perPage === 3) {
        const notes = document.createElement('div');
        notes.className = 'lectern-handout-notes';
        const source = printed.querySelector('aside.notes');
        if (source?.textContent?.trim()) {
          for (const child of Array.from(source.childNodes)) notes.append(child.cloneNode(true));
          fits.push({ notes, slide: index });
        } else {
          // Lines to write on, drawn as lines (a gradient prints as a picture); decoration.
          notes.classList.add('lectern-handout-lines');
          notes.setAttribute('aria-hidden', 'true');
          for (let y = 8 * mm; y <= cellHeight; y += 8 * mm) notes.append(document.createElement('div'));
        }
        cell.append(notes);
      }
      grid.append(cell);
    }
    page.append(top, grid);
    made.push(page);
  }
  container.replaceChildren(...made);
  // Notes too long for their room are set smaller, down to 7 points, then cut.
  for (const { notes, slide } of fits) {
    for (let size = 10; notes.scrollHeight > notes.clientHeight + 1 && size > 7; size -= 0.5)
      notes.style.fontSize = `${size - 0.5}pt`;
    if (notes.scrollHeight > notes.clientHeight + 1) cut.push(slide);
  }
  return { sheets: pages, cut };
}
