import type { DeckOptions } from '../config/schema.js';
import type { DialectChoice } from '../outline/dialects/detect.js';
import type { SourcePos, Finding } from '../errors.js';

/** A local file the deck needs, found in the parsed outline. */
export interface AssetRef {
  /** The path as written, relative to the deck file's folder. */
  url: string;
  pos: SourcePos;
  /** An image written with no alternative text (`![](x.png)`, or `<img>` without `alt`). */
  altMissing?: boolean;
}

/** One slide: everything a layout partial may show. HTML fields are sanitised already. */
export interface Slide {
  /** 0-based horizontal and vertical indices, as Reveal.getIndices() reports them. */
  h: number;
  v: number;
  layout: string;
  /** Whether the layout came from a `<!-- layout: … -->` comment. */
  layoutChosen: boolean;
  /** The slide heading as inline HTML, empty when the slide has none. */
  title: string;
  /** The slide heading as plain text, for outlines and indexes. */
  titleText: string;
  /** Body HTML for one-column layouts (all columns joined). */
  body: string;
  /** Body HTML per column; two or more for column layouts. */
  columns: string[];
  /** Each column's share of the width in percent, when `<!-- column: 40% -->` gave one; absent otherwise. */
  columnWidths?: number[];
  /** Speaker notes HTML, empty when there are none. */
  notes: string;
  /** The slide's footnotes, an `<ol>` for its foot; absent when it has none. */
  footnotes?: string;
  /** How many fragments the slide reveals one by one. */
  fragments: number;
  /** Attributes for the slide's <section>, from `<!-- .slide: … -->` comments. */
  attributes: Record<string, string>;
  /** Check rules turned off for this slide (`<!-- check-ignore: … -->`); absent when none. */
  checksOff?: string[];
  /** Running header and footer (inline HTML, sanitised), and whether the slide shows its number (Marp directives). */
  chrome?: { header?: string; footer?: string; paginate?: boolean };
  pos: SourcePos;
}

/** Slides shown at one horizontal position; more than one stack vertically. */
export interface Stack {
  slides: Slide[];
}

export interface DeckMeta {
  title: string;
  subtitle: string;
  author: string;
  /** Affiliations, shown under the author. */
  institute: string;
  date: string;
  lang: string;
}

/** The typed deck model: the only thing templates see (with `reveal` config added by render). */
export interface Deck {
  /** Name used for the output folder: the file name without `.md`. */
  name: string;
  file: string;
  meta: DeckMeta;
  options: DeckOptions;
  width: number;
  height: number;
  stacks: Stack[];
  slideCount: number;
  assets: AssetRef[];
  /** Link targets in slides and notes, with where they were written. */
  links: AssetRef[];
  warnings: Finding[];
  /** Diagram sources no drawing is known for yet (the build draws them); absent when none. */
  diagrams?: string[];
  /** KaTeX's class names in the deck's set math (which of its fonts it needs); absent without math. */
  mathClasses?: string[];
  /** The tool whose rules the deck was read by, and why. */
  dialect?: DialectChoice;
}
