/**
 * What the in-browser half of the checks (check/observe.ts) sees of a deck: plain data, read by
 * the rules in check/findings.ts.
 */

/** Content outside a slide, or clipped inside one of its elements, in the worst fragment state. */
export interface OverflowSeen {
  /** Index of the slide in reading order. */
  slide: number;
  /** `slide`: content outside the slide's box; `clipped`: an element that scrolls or cuts off its content. */
  kind: 'slide' | 'clipped';
  axis: 'height' | 'width';
  /** Pixels at the deck's own size. */
  by: number;
  /** The size `by` is measured against (the slide's, or the clipping element's), in pixels. */
  size: number;
  /** The first fragment state (-1: none shown) where it shows, and how many fragments there are. */
  fragment: number;
  fragments: number;
  /** The clipping element, as `pre`, `div.scroll`. */
  element?: string;
  /** The source line of the clipping element, or of the first content outside the slide. */
  line: number | null;
  /** For a code block cut off at its foot: how many of its lines show, of how many. */
  lines?: { shown: number; total: number };
}

/** An axe-core violation on one element. */
export interface AxeSeen {
  slide: number | null;
  rule: string;
  message: string;
  /** A short text of the element (its text, or its HTML). */
  snippet: string;
  /** For images: the src attribute as written. */
  src?: string;
  /** The source line of the block the element is in, when known. */
  line: number | null;
}

export interface ImageSeen {
  slide: number;
  src: string;
  broken: boolean;
  natural: { width: number; height: number };
  shown: { width: number; height: number };
}

export interface HeadingSeen {
  slide: number;
  from: { level: number; text: string };
  to: { level: number; text: string; line: number | null };
}

export type { GlyphsSeen } from '../browser/glyph-probe.js';
import type { GlyphsSeen } from '../browser/glyph-probe.js';

/** What a deck does in a real browser at its own size. */
export interface DeckObservations {
  overflows: OverflowSeen[];
  axe: AxeSeen[];
  images: ImageSeen[];
  headings: HeadingSeen[];
  /** Slides `fit: shrink` scaled down, and to what share of their size. */
  shrunk: { slide: number; scale: number }[];
  /** Characters no font of their element's stack draws, per slide. */
  glyphs: GlyphsSeen[];
  /** Requests refused because they left the deck's own server. */
  blocked: string[];
}
