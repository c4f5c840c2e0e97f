import type { DeckFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import {
  BLANK_ADVANCE_EM,
  BLANK_FAMILY,
  blankFontBase64,
  type GlyphsSeen,
  installBlankFont,
  probeGlyphs,
} from '../browser/glyph-probe.js';
import { measureSlide } from '../browser/measure-slide.js';
import { type DeckShapes, readSlideShapes } from '../browser/slide-shapes.js';
import {
  decodeImages,
  deckSteps,
  openRoutedPage,
  printLayoutReady,
  routeTo,
  type BrowserPage,
} from '../browser/routed-page.js';
import { timed } from '../timings.js';
import { type InkFile, inkLook, strokePath } from '../model/ink.js';
import { type HandoutLayout, type HandoutSlides, layOutHandout, type Paper, sheetPixels } from './handout.js';

interface PrintOptions {
  /** Speaker notes on a page of their own after each slide that has notes. */
  notes: boolean;
  /** One page per fragment step instead of one page per slide. */
  fragments: boolean;
  /** Let http(s) requests outside the deck through. */
  allowRemote: boolean;
  /** Deadline for this deck, in milliseconds since the epoch. */
  deadline: number;
  signal?: AbortSignal;
  /** Take a picture of the title slide too (default: yes). */
  thumbnail?: boolean;
  /** Strokes drawn on slides during a talk, drawn on their pages as vector paths. */
  ink?: InkFile;
}

/** One page of the printed PDF, mapped back to the deck. */
interface PrintedPage {
  kind: 'slide' | 'notes';
  /** Index of the slide in reading order (the model's order). */
  slide: number;
}

interface PrintedDeck {
  pdf: Uint8Array;
  /** A PNG of the first page (the title slide), 480 pixels wide, being taken: await it before the page is used again. */
  thumbnail: Promise<Uint8Array>;
  pages: PrintedPage[];
  /** Requests refused because they left the deck's own server. */
  blocked: string[];
  /** Slides whose content is taller or wider than the page, by how many pixels, and from which source line. */
  overflows: {
    slide: number;
    by: number;
    line: number | null;
    clipped?: string;
    axis?: 'height' | 'width';
    lines?: { shown: number; total: number };
  }[];
  /** Characters no font draws, per slide (none looked for in a deck of plain ASCII). */
  glyphs: GlyphsSeen[];
}

/** Pictures of a deck's slides, one per printed page. */
export interface PicturedDeck {
  pngs: Uint8Array[];
  /** With `notes`: each page's speaker notes. */
  notes: string[];
  /** The deck's page size in CSS pixels; the pictures are this times their scale. */
  width: number;
  height: number;
  blocked: string[];
}

export interface PictureOptions extends Omit<PrintOptions, 'notes'> {
  scale: number;
  /** Read each page's speaker notes too. */
  notes?: boolean;
}

/** A deck read as shapes (`readSlideShapes`), with photographs of what only a browser draws. */
export interface ShapedDeck {
  shapes: DeckShapes;
  /** Per slide, a PNG of each `render` shape, in the order the slide lists them. */
  renders: Uint8Array[][];
  /** The deck's page size in CSS pixels. */
  width: number;
  height: number;
  blocked: string[];
}

/** A browser page set up once for printing and reused deck after deck. */
export interface PrintPage {
  print: (files: DeckFiles, deckFile: string, options: PrintOptions) => Promise<PrintedDeck>;
  /**
   * The deck `print` has just printed (its thumbnail taken), as a handout: `perPage` slides a
   * sheet of `paper`. The page then holds the handout, not the deck.
   */
  handout: (
    perPage: HandoutSlides,
    paper: Paper,
    title: string,
    options: Pick<PrintOptions, 'deadline' | 'signal'> & { deckFile: string },
  ) => Promise<HandoutLayout & { pdf: Uint8Array }>;
  /** A PNG of every page the PDF would print (notes left out), at `scale` device pixels per pixel. */
  pictures: (files: DeckFiles, deckFile: string, options: PictureOptions) => Promise<PicturedDeck>;
  /** Every slide as the shapes it is made of, laid out as for print (fragments shown). */
  shapes: (
    files: DeckFiles,
    deckFile: string,
    options: Omit<PrintOptions, 'notes' | 'fragments'>,
  ) => Promise<ShapedDeck>;
  /**
   * Lays a deck out for print with its notes shown, every slide and note at once, and says which
   * of its files the page asked for: the fonts among them are the faces the deck uses.
   */
  requested: (
    files: DeckFiles,
    deckFile: string,
    options: Omit<PrintOptions, 'notes' | 'fragments'>,
  ) => Promise<{ paths: string[]; blocked: string[] }>;
  close: () => Promise<void>;
}

/**
 * Opens a page for printing decks. Reusing one page per worker saves a page start-up per deck
 * and lets Chromium reuse what it compiled; a page that failed a deck should be closed and a
 * new one opened, since it may still be busy.
 */
export async function openPrintPage(browser: LaunchedBrowser, allowRemote = false): Promise<PrintPage> {
  const { page, route, close } = await timed('page open (context, gate)', openRoutedPage(browser, allowRemote));
  // The print style is there before Reveal lays the deck out for print: no second layout for it.
  await timed('page open (context, gate)', page.evaluateOnNewDocument(addPrintStyle));

  /**
   * Loads a deck in Reveal's print layout and waits for it, on signals, never for a fixed time:
   * the layout (`pdf-ready`), `document.fonts.ready`, every image decoded. Returns the deck's
   * step runner for what follows.
   */
  const loadPrintLayout = async (files: DeckFiles, deckFile: string, options: PrintOptions, verb: 'printing') => {
    const origin = routeTo(route, deckFile, files, options.allowRemote);
    const query = new URLSearchParams({
      pdfSeparateFragments: String(options.fragments),
      pdfMaxPagesPerSlide: '1',
      showNotes: options.notes ? 'separate-page' : 'false',
    });
    const step = deckSteps(options, deckFile, verb, route);
    await step(
      'loading the deck',
      page.goto(`${origin}/index.html?print-pdf&${query}`, { waitUntil: 'load', timeout: 0 }),
    );
    await step('Reveal.js print layout (pdf-ready)', page.evaluate(printLayoutReady));
    await step('every slide in the document structure', page.evaluate(readableInPrint));
    if (options.notes) await step('the notes pages', page.evaluate(handoutPages));
    await step(
      'web fonts (document.fonts.ready)',
      page.evaluate(() => document.fonts.ready.then(() => undefined)),
    );
    await step('images to decode', page.evaluate(decodeImages));
    return step;
  };

  return {
    close,
    /**
     * Prints one served deck. Waits for signals, never for a fixed time: Reveal's print layout
     * (`pdf-ready`), `document.fonts.ready`, every image decoded.
     */
    async print(files, deckFile, options) {
      const step = await loadPrintLayout(files, deckFile, options, 'printing');
      // The same measure as `lectern check` and the preview panel: what is visible past the edge.
      await step('loading the measuring code', page.evaluate(`window.__lecternMeasure = ${measureSlide.toString()};`));
      const layout = await step('reading the page layout', page.evaluate(readLayout));
      if (options.ink) await step('drawing the annotations', page.evaluate(drawInk, inkPaths(options.ink)));
      const glyphs = (await step(
        'loading the glyph probe',
        page.evaluate(installBlankFont, blankFontBase64(), BLANK_FAMILY),
      ))
        ? await step('finding characters without a font', page.evaluate(probeGlyphs, BLANK_FAMILY, BLANK_ADVANCE_EM))
        : [];
      const pdf = await step(
        'Chromium writing the PDF',
        page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 0 }),
      );
      // After the PDF (it hides the other pages to paint the first one alone), while the caller
      // finishes the PDF.
      const thumbnail =
        options.thumbnail === false
          ? Promise.resolve(new Uint8Array())
          : step('the title slide thumbnail', thumbnailOf(page));
      thumbnail.catch(() => undefined);
      return { pdf, thumbnail, pages: layout.pages, overflows: layout.overflows, glyphs, blocked: [...route.blocked] };
    },
    async handout(perPage, paper, title, options) {
      const step = deckSteps(options, options.deckFile, 'printing', route);
      const layout = await step(
        'laying out the handout',
        page.evaluate(layOutHandout, perPage, sheetPixels(paper), title),
      );
      await step('images to decode', page.evaluate(decodeImages));
      const pdf = await step(
        'Chromium writing the handout PDF',
        page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false, timeout: 0 }),
      );
      return { ...layout, pdf };
    },
    async requested(files, deckFile, options) {
      const paths = new Set<string>();
      const logged: DeckFiles = (path) => {
        paths.add(path);
        return files(path);
      };
      await loadPrintLayout(logged, deckFile, { ...options, notes: true, fragments: false }, 'printing');
      return { paths: [...paths], blocked: [...route.blocked] };
    },
    async pictures(files, deckFile, options) {
      const step = await loadPrintLayout(files, deckFile, { ...options, notes: false }, 'printing');
      const { boxes, width, height } = await step('reading the page layout', page.evaluate(pageBoxes));
      const notes = options.notes
        ? (await step('reading the notes', page.evaluate(readSlideShapes, width, height, true))).slides.map(
            (n) => n.notes,
          )
        : [];
      const pngs: Uint8Array[] = [];
      for (const index of boxes.keys()) {
        // Only the page pictured is shown: the picture then paints one page, not the whole deck
        // (each picture of a long deck took as long as all of them otherwise). The text read
        // above is placed by the page as it was laid out; the picture is taken where it is now.
        const box = await step(`showing page ${index + 1} alone`, page.evaluate(showPageAlone, index));
        // The printed page is the slide with Reveal's margin around it, as on screen. Its picture
        // is the largest part of it in the deck's aspect ratio, in whole pixels (Puppeteer rounds
        // a clip to them), from its middle, scaled to the deck's own size.
        const unit = gcd(width, height);
        const n = Math.floor(Math.min(box.width / (width / unit), box.height / (height / unit)));
        const w = (n * width) / unit;
        const h = (n * height) / unit;
        // (A hundredth of a pixel over, so rounding never loses the last column.)
        const scale = (options.scale * width + 0.01) / w;
        const clip = {
          x: Math.round(box.x + (box.width - w) / 2),
          y: Math.round(box.y + (box.height - h) / 2),
          width: w,
          height: h,
          scale,
        };
        pngs.push(
          await step(
            `the picture of page ${pngs.length + 1}`,
            page.screenshot({ type: 'png', clip, captureBeyondViewport: true }),
          ),
        );
      }
      return { pngs, notes, width, height, blocked: [...route.blocked] };
    },
    async shapes(files, deckFile, options) {
      const step = await loadPrintLayout(files, deckFile, { ...options, notes: false, fragments: false }, 'printing');
      const { width, height } = await step('reading the page layout', page.evaluate(pageBoxes));
      const shapes = await step('reading the slides', page.evaluate(readSlideShapes, width, height, false));
      const renders: Uint8Array[][] = [];
      for (const [index, slide] of shapes.slides.entries()) {
        const drawn = slide.shapes.filter((s) => s.kind === 'render');
        const pngs: Uint8Array[] = [];
        if (drawn.length) {
          // The page alone, so a photograph paints one page, not the whole deck.
          const box = await step(`showing page ${index + 1} alone`, page.evaluate(showPageAlone, index));
          for (const shape of drawn) {
            const clip = {
              x: box.x + shape.clip.x,
              y: box.y + shape.clip.y,
              width: Math.max(1, shape.clip.w),
              height: Math.max(1, shape.clip.h),
              scale: 2,
            };
            pngs.push(
              await step(
                `a picture on page ${index + 1}`,
                page.screenshot({ type: 'png', clip, captureBeyondViewport: true }),
              ),
            );
          }
        }
        renders.push(pngs);
      }
      return { shapes, renders, width, height, blocked: [...route.blocked] };
    },
  };
}

/** The first printed page as a small PNG, for the index of decks. */
async function thumbnailOf(page: BrowserPage): Promise<Uint8Array> {
  const box = await page.evaluate(() => {
    const first = document.querySelector('.reveal .slides .pdf-page');
    // Printed already: the other pages need no painting for the picture of the first.
    for (const other of Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > *')))
      if (other !== first) other.style.setProperty('content-visibility', 'hidden');
    const rect = first?.getBoundingClientRect();
    return rect
      ? { x: rect.left + window.scrollX, y: rect.top + window.scrollY, width: rect.width, height: rect.height }
      : null;
  });
  if (!box || box.width === 0) return page.screenshot({ type: 'png' });
  return page.screenshot({ type: 'png', clip: { ...box, scale: 480 / box.width } });
}

/* The functions below run inside the page. */

/**
 * The last page must not force a break after it, or notes pages leave a blank page at the end.
 * Runs as each deck's document starts, before its own scripts.
 */
function addPrintStyle(): void {
  const style = document.createElement('style');
  style.textContent =
    '.reveal .slides > :last-child { break-after: auto !important; page-break-after: auto !important; }';
  if (document.documentElement) document.documentElement.append(style);
  else
    new MutationObserver((_, observer) => {
      if (!document.documentElement) return;
      observer.disconnect();
      document.documentElement.append(style);
    }).observe(document, { childList: true });
}

/**
 * Makes each notes page a handout page a speaker can print: the slide's number and title, a
 * picture of the slide (a copy of its printed page, zoomed out, its text still text), then the
 * notes. The copy sits inside the notes page and holds no ids nor slide numbers, so the page list,
 * links and bookmarks still find only the slide's own page.
 */
function handoutPages(): void {
  const pages = Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page'));
  const slides = document.querySelector('.reveal .slides');
  const deck = getComputedStyle(slides ?? document.body);
  const inherited = ['font-size', 'font-family', 'color', 'text-align', 'letter-spacing', 'font-weight'];
  const total = new Set(
    pages.map((p) => p.querySelector<HTMLElement>('section[data-lectern-slide]')?.dataset.lecternSlide),
  ).size;
  for (const notes of Array.from(
    document.querySelectorAll<HTMLElement>('.reveal .slides > .speaker-notes-pdf[data-layout="separate-page"]'),
  )) {
    let page = notes.previousElementSibling as HTMLElement | null;
    while (page && !page.classList.contains('pdf-page')) page = page.previousElementSibling as HTMLElement | null;
    if (!page) continue;
    const section = page.querySelector<HTMLElement>('section[data-lectern-slide]');
    const heading = section?.querySelector('.slide-title, .section-title, .deck-title, h1, h2, h3');
    // The printed page, margin and all: in print the page's margin is the slide's padding.
    const scale = 0.45;
    // Still a .pdf-page, for Reveal's print rules to lay it out as the page; no break of its own.
    const copy = page.cloneNode(true) as HTMLElement;
    for (const el of [copy, ...Array.from(copy.querySelectorAll('[id], [data-lectern-slide]'))]) {
      el.removeAttribute('id');
      el.removeAttribute('data-lectern-slide');
    }
    copy.setAttribute('aria-hidden', 'true');
    Object.assign(copy.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      margin: '0',
      width: `${page.offsetWidth}px`,
      height: `${page.offsetHeight}px`,
      zoom: String(scale),
      breakAfter: 'auto',
      breakBefore: 'auto',
    });
    const picture = document.createElement('div');
    picture.className = 'lectern-notes-slide';
    // The slide's text inherits from the deck, not from the notes page around it.
    for (const key of inherited) picture.style.setProperty(key, deck.getPropertyValue(key));
    picture.style.width = `${page.offsetWidth * scale}px`;
    picture.style.height = `${page.offsetHeight * scale}px`;
    picture.append(copy);
    const title = document.createElement('p');
    title.className = 'lectern-notes-title';
    const number = section ? Number(section.dataset.lecternSlide) + 1 : 0;
    title.textContent = `${number ? `${number} / ${total}  ` : ''}${heading?.textContent?.trim() ?? ''}`;
    const text = document.createElement('div');
    text.className = 'lectern-notes-text';
    text.append(...Array.from(notes.childNodes));
    notes.append(title, picture, text);
  }
}

/** Reads which slide each PDF page shows, and points links between slides at their pages. */
function readLayout(): { pages: PrintedPage[]; overflows: PrintedDeck['overflows'] } {
  const measure = (window as unknown as { __lecternMeasure: typeof measureSlide }).__lecternMeasure;
  const container = document.querySelector('.reveal .slides');
  const pages: PrintedPage[] = [];
  const overflows: PrintedDeck['overflows'] = [];
  let current = -1;
  for (const el of Array.from(container?.children ?? [])) {
    if (el.classList.contains('pdf-page')) {
      const section = el.querySelector<HTMLElement>('section[data-lectern-slide]');
      current = section ? Number(section.dataset.lecternSlide) : current + 1;
      pages.push({ kind: 'slide', slide: current });
      if (section) {
        const m = measure(section, section.getBoundingClientRect().width / section.offsetWidth || 1);
        const by = Math.round(Math.max(m.down, m.sideways));
        // One warning a slide, however many fragment pages it prints on: the worst of them.
        const earlier = overflows.find((o) => o.slide === current);
        if (by > 1 && !earlier) overflows.push({ slide: current, by, line: m.firstLineOutside });
        else if (earlier && by > earlier.by) Object.assign(earlier, { by, line: m.firstLineOutside ?? earlier.line });
        for (const c of m.clipped) {
          if (!overflows.some((o) => o.slide === current && o.clipped === c.element && o.line === c.line))
            overflows.push({
              slide: current,
              by: Math.round(c.by),
              line: c.line,
              clipped: c.element,
              axis: c.axis,
              ...(c.lines ? { lines: c.lines } : {}),
            });
        }
      }
    } else if (el.classList.contains('speaker-notes-pdf')) {
      pages.push({ kind: 'notes', slide: current });
    }
  }
  // Links to other slides (#/h/v or #/id) become links to their pages.
  const pageOf = new Map<string, Element>();
  for (const page of Array.from(document.querySelectorAll('.pdf-page'))) {
    const section = page.querySelector<HTMLElement>('section[data-lectern-slide]');
    if (!section) continue;
    const id = `lectern-page-${section.dataset.lecternSlide}`;
    page.id = id;
    pageOf.set(`${section.dataset.h}/${section.dataset.v}`, page);
    if (section.dataset.v === '0') pageOf.set(`${section.dataset.h}`, page);
    if (section.id) pageOf.set(section.id, page);
  }
  for (const link of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href^="#/"]'))) {
    const target = pageOf.get(decodeURIComponent(link.getAttribute('href')!.slice(2)).replace(/\/$/, ''));
    if (target) link.setAttribute('href', `#${target.id}`);
  }
  return { pages, overflows };
}

/** The strokes of an ink file as the page draws them: SVG path data by 0-based slide index. */
function inkPaths(ink: InkFile): InkPaths {
  return {
    width: ink.width,
    height: ink.height,
    slides: Object.entries(ink.slides).map(([key, strokes]) => ({
      slide: Number(key) - 1,
      strokes: strokes.map((s) => ({
        d: strokePath(s),
        color: s.color,
        width: s.width,
        opacity: inkLook[s.tool].opacity,
      })),
    })),
  };
}

interface InkPaths {
  width: number;
  height: number;
  slides: { slide: number; strokes: { d: string; color: string; width: number; opacity: number }[] }[];
}

/**
 * Runs inside the page, in Reveal's print layout: each slide's strokes as one SVG over its
 * page(s), in the deck's coordinates, so Chromium prints them as vector paths. The drawing is
 * tagged as a figure named for its slide.
 */
function drawInk(ink: InkPaths): number {
  const config = (
    window as unknown as { Reveal: { getConfig: () => { width: number | string; height: number | string } } }
  ).Reveal.getConfig();
  const width = Number(config.width) || ink.width;
  const height = Number(config.height) || ink.height;
  const ns = 'http://www.w3.org/2000/svg';
  let drawn = 0;
  for (const page of Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page'))) {
    const section = page.querySelector<HTMLElement>('section[data-lectern-slide]');
    const entry = section ? ink.slides.find((s) => s.slide === Number(section.dataset.lecternSlide)) : undefined;
    if (!entry?.strokes.length) continue;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${ink.width} ${ink.height}`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', `Drawing on slide ${entry.slide + 1}`);
    svg.setAttribute('class', 'lectern-ink');
    svg.style.cssText = `position:absolute;left:${(page.offsetWidth - width) / 2}px;top:${(page.offsetHeight - height) / 2}px;width:${width}px;height:${height}px;z-index:100;pointer-events:none;overflow:visible`;
    for (const stroke of entry.strokes) {
      const path = document.createElementNS(ns, 'path');
      path.setAttribute('d', stroke.d);
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', stroke.color);
      path.setAttribute('stroke-width', String(stroke.width));
      path.setAttribute('stroke-opacity', String(stroke.opacity));
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
      svg.appendChild(path);
    }
    page.appendChild(svg);
    drawn++;
  }
  return drawn;
}

/** Runs inside the page: where each printed slide page is, in document coordinates, and the deck's size. */
function pageBoxes(): {
  boxes: { x: number; y: number; width: number; height: number }[];
  width: number;
  height: number;
} {
  const config = (
    window as unknown as { Reveal: { getConfig: () => { width: number; height: number } } }
  ).Reveal.getConfig();
  const boxes = Array.from(document.querySelectorAll('.reveal .slides > .pdf-page')).map((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
  });
  return { boxes, width: Number(config.width), height: Number(config.height) };
}

/** Runs inside the page: hides every printed page but one, and says where that one is now. */
function showPageAlone(index: number): { x: number; y: number; width: number; height: number } {
  const pages = Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides > .pdf-page'));
  pages.forEach((el, i) => {
    if (i === index) el.style.removeProperty('display');
    else el.style.setProperty('display', 'none', 'important');
  });
  const r = pages[index]!.getBoundingClientRect();
  return { x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * Runs inside the page, once the print layout is ready: every slide readable, decoration not.
 * Reveal.js marks every slide but the current one `aria-hidden`, and Chromium tags a PDF from
 * the accessibility tree, so without this the PDF's structure holds the first slide only. The
 * slide number, running header and footer, logo, backgrounds, progress bar and controls are
 * hidden from it instead: a reader hears each slide once, and only its content. (Hidden parts
 * inside a slide, such as the drawing KaTeX sets beside its MathML, stay hidden.)
 */
export function readableInPrint(): void {
  const open = document.querySelectorAll(
    '.reveal, .reveal .slides, .reveal .slides .pdf-page, .reveal .slides section',
  );
  for (const el of Array.from(open)) {
    el.removeAttribute('aria-hidden');
    el.removeAttribute('hidden');
    el.removeAttribute('inert');
  }
  const decoration = document.querySelectorAll(
    [
      '.reveal .slide-number',
      '.reveal .slide-page',
      '.reveal .slide-header',
      '.reveal .slide-footer',
      '.reveal .slide-logo',
      '.reveal .slide-background',
      '.reveal .backgrounds',
      '.reveal .progress',
      '.reveal .controls',
      '.reveal .pause-overlay',
      '.reveal [data-lectern-decoration]',
    ].join(', '),
  );
  for (const el of Array.from(decoration)) el.setAttribute('aria-hidden', 'true');
  // An HTML <figure> holds a picture and its caption: the picture is the figure (with its alt
  // text), the holder a group, or PDF readers find a Figure with no text of its own.
  for (const el of Array.from(document.querySelectorAll('.reveal .slides figure:not([role])')))
    el.setAttribute('role', 'group');
  // A formula is a picture with its TeX source as its text (KaTeX keeps it in its MathML).
  for (const el of Array.from(document.querySelectorAll('.reveal .slides .katex'))) {
    const tex = el.querySelector('annotation[encoding="application/x-tex"]')?.textContent?.trim();
    if (!tex) continue;
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', tex);
    // The drawn formula is what is painted: it is the picture's content (its parts are not read
    // one by one under role=img); the MathML beside it, never painted, is left out.
    el.querySelector('.katex-html')?.removeAttribute('aria-hidden');
    el.querySelector('.katex-mathml')?.setAttribute('aria-hidden', 'true');
  }
}
