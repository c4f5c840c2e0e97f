import type { ChecksLayer } from '../config/check-rules.js';

/**
 * What a built deck's `deck.json` keeps of its Deck: plain data for the index page, the manifest
 * and a later PDF export.
 */

/** Slide summary as deck.json keeps it: enough to bookmark a PDF without the source. */
export interface SlideSummary {
  title: string;
  layout: string;
  line: number;
}

/**
 * What `dist/<deck>/deck.json` records of a built deck: what the index lists, and what a PDF
 * export of the built folder needs (metadata, slide titles and lines for bookmarks and warnings).
 */
export interface DeckSummary {
  name: string;
  /** The deck source, as errors name it. */
  file: string;
  title: string;
  subtitle: string;
  author: string;
  date: string;
  lang: string;
  keywords: string[];
  slideCount: number;
  slides: SlideSummary[];
  /** Relative path of the PDF inside the deck folder, once one is exported. */
  pdf?: string;
  /** A PNG of the title slide inside the deck folder, written with the PDF. */
  thumbnail?: string;
  /**
   * A digest of everything the deck was built from, as built: its page, its summary, the
   * content of every file it carries, the PDF's options and Lectern's version. The same digest
   * next time means there is nothing to build.
   */
  build?: string;
  /** The deck's `checks:` settings, when it has any: a later PDF export reports by the same rules. */
  checks?: ChecksLayer;
}
