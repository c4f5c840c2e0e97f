import { runtimePaths, templateAssetDirs } from '../deck-layout.js';
import type { Deck, Slide } from '../model/types.js';
import type { Template } from './load-template.js';
import { themeCss } from './theme.js';

/** What the build adds beside the deck model when it renders it. */
export interface DeckView {
  /** The deck's own stylesheets, linked after the template's. */
  stylesheets?: string[];
  /** Stylesheets of what Lectern set in the deck (KaTeX's), linked before the template's. */
  runtimeStyles?: string[];
  /** Lectern's own scripts the deck needs (fit.js for `fit: shrink`), run after Reveal.js starts. */
  runtimeScripts?: string[];
}

/** JSON safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Languages written right to left, by their primary subtag. */
const rightToLeft = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'syr', 'ug', 'ur', 'yi']);

/** Whether a deck's language (`lang:`) is written right to left. */
export function isRightToLeft(lang: string): boolean {
  return rightToLeft.has(lang.toLowerCase().split(/[-_]/)[0]!);
}

/** The Reveal.js configuration a deck starts with. */
function revealConfig(deck: Deck): Record<string, unknown> {
  return {
    // Right-to-left decks: Reveal.js mirrors its navigation (the next slide is to the left).
    ...(isRightToLeft(deck.meta.lang) ? { rtl: true } : {}),
    width: deck.width,
    height: deck.height,
    margin: 0.04,
    // Layouts place their own content (title and section slides centre themselves), so the
    // screen and the printed page show the same thing.
    center: false,
    hash: true,
    transition: deck.options.transition,
    slideNumber: deck.options.slideNumber,
    // → and a clicker walk every slide in reading order, a section's stacked slides included
    // (Reveal.js's own default jumps from a stack's second slide to the next section).
    navigationMode: deck.options.navigation === 'grid' ? 'default' : 'linear',
    ...pacing(deck),
    ...deck.options.reveal,
  };
}

/**
 * The speaker view shows its pacing timer only with a total or a default time: a deck whose
 * slides say how long they take (`Time: 2m`) gets two minutes for each of the others.
 */
function pacing(deck: Deck): Record<string, number> {
  const { totalTime, defaultTiming } = deck.options.reveal ?? {};
  const timed = deck.stacks.some((stack) => stack.slides.some((slide) => slide.attributes['data-timing']));
  return timed && totalTime === undefined && defaultTiming === undefined ? { defaultTiming: 120 } : {};
}

/** What a template sees: the deck model plus view fields derived from it. Documented in docs/templates.md. */
export function templateContext(deck: Deck, template: Template, view: DeckView = {}): Record<string, unknown> {
  const dirs = templateAssetDirs(template.chain);
  const values = deck.options.theme ?? {};
  let number = 0;
  return {
    deck: {
      name: deck.name,
      meta: deck.meta,
      width: deck.width,
      height: deck.height,
      aspect: deck.options.aspect,
      slideCount: deck.slideCount,
      rtl: isRightToLeft(deck.meta.lang),
    },
    stacks: deck.stacks.map((stack) => ({
      vertical: stack.slides.length > 1,
      slides: stack.slides.map((slide) => slideView(slide, number++, isRightToLeft(deck.meta.lang))),
    })),
    paths: {
      ...runtimePaths,
      template: dirs[dirs.length - 1],
      styles: [
        ...(view.runtimeStyles ?? []),
        ...template.chain.flatMap((layer, i) => (layer.assets.includes('theme.css') ? [`${dirs[i]}/theme.css`] : [])),
        ...(view.stylesheets ?? []),
      ],
      scripts: view.runtimeScripts ?? [],
    },
    theme: {
      ...values,
      css: themeCss(values, template.theme),
    },
    // The template's own logo (paths from the page), for its partials: `template.logo.src`,
    // `.onDark`, `.onLight`.
    template: { name: template.name, ...(template.logo ? { logo: template.logo } : {}) },
    reveal: revealConfig(deck),
  };
}

function slideView(slide: Slide, index: number, rtl: boolean): Record<string, unknown> {
  const extraClass = slide.attributes.class ? ` ${slide.attributes.class}` : '';
  return {
    ...slide,
    number: index + 1,
    sectionAttributes: {
      ...slide.attributes,
      class: `layout-${slide.layout}${extraClass}`,
      'data-layout': slide.layout,
      // Each slide reads right to left; the page itself stays as Reveal.js lays it out.
      ...(rtl && slide.attributes.dir === undefined ? { dir: 'rtl' } : {}),
      'data-source-line': slide.pos.line,
      // Reading-order index and Reveal indices: PDF export maps pages and links with them.
      'data-lectern-slide': index,
      'data-h': slide.h,
      'data-v': slide.v,
    },
  };
}
