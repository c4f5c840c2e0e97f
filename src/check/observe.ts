import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { DeckFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { DeckError } from '../errors.js';
import {
  BLANK_ADVANCE_EM,
  BLANK_FAMILY,
  blankFontBase64,
  installBlankFont,
  probeGlyphs,
} from '../browser/glyph-probe.js';
import { measureSlide } from '../browser/measure-slide.js';
import { decodeImages, deckSteps, openRoutedPage, printLayoutReady, routeTo } from '../browser/routed-page.js';

import type { AxeSeen, DeckObservations, OverflowSeen } from './observations.js';

interface InspectOptions {
  width: number;
  height: number;
  /** axe-core rules about the slides' content, and about the page itself. */
  slideRules: string[];
  pageRules: string[];
  allowRemote: boolean;
  /** Deadline in milliseconds since the epoch. */
  deadline: number;
  signal?: AbortSignal;
}

/** A page set up for inspecting decks, reused deck after deck like a print page. */
export interface InspectPage {
  inspect: (files: DeckFiles, deckFile: string, options: InspectOptions) => Promise<DeckObservations>;
  close: () => Promise<void>;
}

/** axe-core's browser bundle, read once per page opened (a page checks deck after deck). */
function axeScript(): string {
  try {
    return readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  } catch (err) {
    throw new DeckError('RUNTIME_MISSING', 'the axe-core package is not installed', {
      hint: 'run `npm run setup` (or `npm ci`) in the Lectern folder',
      cause: err,
    });
  }
}

/**
 * Opens a page that shows decks as the audience sees them (screen mode, at the deck's own size)
 * and walks every slide in every fragment state.
 */
export async function openInspectPage(browser: LaunchedBrowser, allowRemote = false): Promise<InspectPage> {
  const { page, route, close } = await openRoutedPage(browser, allowRemote);
  const axe = axeScript();
  return {
    close,
    async inspect(files, deckFile, options) {
      const origin = routeTo(route, deckFile, files, options.allowRemote);
      const step = deckSteps(options, deckFile, 'checking', route);
      await step('setting the page size', page.setViewport({ width: options.width, height: options.height }));
      await step('loading the deck', page.goto(`${origin}/index.html`, { waitUntil: 'load', timeout: 0 }));
      await step('Reveal.js to start (ready)', page.evaluate(revealReady));
      await step(
        'web fonts (document.fonts.ready)',
        page.evaluate(() => document.fonts.ready.then(() => undefined)),
      );
      await step('images to decode', page.evaluate(decodeImages));
      await step('loading the measuring code', page.evaluate(`window.__lecternMeasure = ${measureSlide.toString()};`));
      const seen = await step('walking the slides', page.evaluate(walkSlides));
      // Every fragment is shown now: the characters no font draws, slide by slide.
      if (await step('loading the glyph probe', page.evaluate(installBlankFont, blankFontBase64(), BLANK_FAMILY)))
        seen.glyphs = await step(
          'finding characters without a font',
          page.evaluate(probeGlyphs, BLANK_FAMILY, BLANK_ADVANCE_EM),
        );
      // axe-core once over every slide at once: Reveal's print layout shows them all, each with
      // its background and every fragment, at the deck's size. Once per slide would cost as
      // many passes over the whole page as there are slides.
      if (options.slideRules.length + options.pageRules.length > 0) {
        await step(
          'loading the print layout for axe-core',
          page.goto(`${origin}/index.html?print-pdf&pdfSeparateFragments=false`, { waitUntil: 'load', timeout: 0 }),
        );
        await step('Reveal.js print layout (pdf-ready)', page.evaluate(printLayoutReady));
        await step(
          'web fonts (document.fonts.ready)',
          page.evaluate(() => document.fonts.ready.then(() => undefined)),
        );
        await step('loading axe-core', page.evaluate(axe));
        seen.axe = await step('axe-core', page.evaluate(runAxe, [...options.slideRules, ...options.pageRules]));
      }
      return { ...seen, blocked: [...route.blocked] };
    },
  };
}

/* The functions below run inside the page. */

/** Reveal started, with every slide loaded and no transition left to wait for. */
function revealReady(): Promise<void> {
  type RevealApi = { isReady: () => boolean; on: (e: string, f: () => void) => void; configure: (o: object) => void };
  const reveal = (window as unknown as { Reveal: RevealApi }).Reveal;
  return new Promise<void>((resolve) => (reveal.isReady() ? resolve() : reveal.on('ready', () => resolve()))).then(
    () => {
      reveal.configure({
        transition: 'none',
        backgroundTransition: 'none',
        viewDistance: 1000,
        mobileViewDistance: 1000,
      });
      const style = document.createElement('style');
      style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
      document.head.append(style);
    },
  );
}

async function walkSlides(): Promise<Omit<DeckObservations, 'blocked'>> {
  type RevealApi = {
    slide: (h: number, v: number, f?: number) => void;
    nextFragment: () => boolean;
    getScale: () => number;
  };
  const reveal = (window as unknown as { Reveal: RevealApi }).Reveal;
  const out: Omit<DeckObservations, 'blocked'> = {
    overflows: [],
    axe: [],
    images: [],
    headings: [],
    glyphs: [],
    shrunk: [],
  };
  const sections = Array.from(document.querySelectorAll<HTMLElement>('.reveal .slides section[data-lectern-slide]'));
  const snippetOf = (el: Element): string => {
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  };
  const measure = (window as unknown as { __lecternMeasure: typeof measureSlide }).__lecternMeasure;

  for (const section of sections) {
    const slide = Number(section.dataset.lecternSlide);
    reveal.slide(Number(section.dataset.h), Number(section.dataset.v), -1);
    const scale = reveal.getScale() || 1;
    // Per overflow (the slide, or one clipping element): the worst amount, and the first
    // fragment state where it shows.
    const worst = new Map<string, Omit<OverflowSeen, 'fragments'>>();
    const keep = (seen: Omit<OverflowSeen, 'fragments'>): void => {
      const key = `${seen.kind}|${seen.axis}|${seen.element ?? ''}`;
      const before = worst.get(key);
      if (!before) return void worst.set(key, seen);
      // The earliest line off the slide in any state is the one to fix first.
      const line = Math.min(before.line ?? Infinity, seen.line ?? Infinity);
      const merged = seen.by > before.by ? { ...seen, fragment: before.fragment } : before;
      worst.set(key, { ...merged, line: Number.isFinite(line) ? line : null });
    };
    let fragment = -1;
    for (;;) {
      const m = measure(section, scale);
      if (m.down > 1)
        keep({ slide, kind: 'slide', axis: 'height', by: m.down, size: m.height, fragment, line: m.firstLineOutside });
      if (m.sideways > 1)
        keep({
          slide,
          kind: 'slide',
          axis: 'width',
          by: m.sideways,
          size: m.width,
          fragment,
          line: m.firstLineOutside,
        });
      for (const c of m.clipped)
        keep({
          slide,
          kind: 'clipped',
          axis: c.axis,
          by: c.by,
          size: c.size,
          fragment,
          element: c.element,
          line: c.line,
          ...(c.lines ? { lines: c.lines } : {}),
        });
      if (!reveal.nextFragment()) break;
      fragment++;
    }
    for (const seen of worst.values()) out.overflows.push({ ...seen, fragments: fragment + 1 });
    const fitted = Number(section.dataset.lecternFitScale);
    if (fitted > 0 && fitted < 1) out.shrunk.push({ slide, scale: fitted });

    // Every fragment is shown now: headings and images are read in the slide's final state.
    let previous: { level: number; text: string } | null = null;
    for (const heading of Array.from(section.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6'))) {
      if (heading.closest('aside.notes') || getComputedStyle(heading).display === 'none') continue;
      const line = Number(heading.getAttribute('data-line')) || null;
      const current = { level: Number(heading.localName.slice(1)), text: snippetOf(heading), line };
      if (previous && current.level > previous.level + 1) out.headings.push({ slide, from: previous, to: current });
      previous = current;
    }
    for (const img of Array.from(section.querySelectorAll('img'))) {
      if (img.closest('aside.notes')) continue;
      const r = img.getBoundingClientRect();
      out.images.push({
        slide,
        src: img.getAttribute('src') ?? '',
        broken: img.complete && img.naturalWidth === 0,
        natural: { width: img.naturalWidth, height: img.naturalHeight },
        shown: { width: r.width / scale, height: r.height / scale },
      });
    }
    const background = section.getAttribute('data-background-image');
    if (background) {
      const probe = new Image();
      probe.src = background;
      const broken = await probe.decode().then(
        () => false,
        () => true,
      );
      out.images.push({
        slide,
        src: background,
        broken,
        natural: { width: probe.naturalWidth, height: probe.naturalHeight },
        shown: { width: 0, height: 0 },
      });
    }
  }
  return out;
}

/** axe-core's violations of the given rules, each on the slide (in print layout) it is on. */
async function runAxe(rules: string[]): Promise<AxeSeen[]> {
  type AxeResult = {
    violations: {
      id: string;
      nodes: { target: unknown[]; html: string; failureSummary?: string; any: { message: string }[] }[];
    }[];
  };
  const axe = (window as unknown as { axe: { run: (context: unknown, options: object) => Promise<AxeResult> } }).axe;
  const result = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] });
  const seen: AxeSeen[] = [];
  for (const violation of result.violations) {
    for (const node of violation.nodes) {
      const selector = node.target[0];
      const el = typeof selector === 'string' ? document.querySelector(selector) : null;
      // Reveal's print layout puts a slide's number and background beside it on its page.
      const section =
        el?.closest<HTMLElement>('section[data-lectern-slide]') ??
        el?.closest('.pdf-page')?.querySelector<HTMLElement>('section[data-lectern-slide]');
      const text = (el?.textContent ?? '').replace(/\s+/g, ' ').trim() || node.html;
      seen.push({
        slide: section ? Number(section.dataset.lecternSlide) : null,
        rule: violation.id,
        message: (node.any[0]?.message ?? node.failureSummary ?? violation.id).split('\n')[0]!,
        snippet: text.length > 60 ? `${text.slice(0, 57)}…` : text,
        ...(el?.localName === 'img' ? { src: el.getAttribute('src') ?? '' } : {}),
        line: Number(el?.closest('[data-line]')?.getAttribute('data-line')) || null,
      });
    }
  }
  return seen;
}
