/**
 * Splits a deck body into raw slides, line by line, the way an outline is written: headings at
 * or above the slide level start slides, `---` and `----` lines (after a blank line) start
 * horizontal and vertical slides, `Note:` starts the speaker notes, and two directive comments
 * shape the slide (plus one that turns check rules off for it). Fenced code is never split. Pure.
 */

import type { Finding } from '../errors.js';
import {
  CHECK_IGNORE,
  COLUMN,
  type ColumnWidth,
  columnWidth,
  FENCE,
  FIT,
  fenceWarning,
  LAYOUT,
  nothingYet,
  unclosedFenceLines,
} from './dialects/lines.js';
import { rewriteImageAttributes } from './dialects/pandoc-inline.js';

/** A run of source lines with the file line it starts on. */
export interface Segment {
  text: string;
  line: number;
  /** The file line of each line of `text`, when a dialect rewrote it into more or fewer lines. */
  lineMap?: number[];
}

type SlideStart = 'start' | 'heading' | 'horizontal' | 'vertical';

export interface RawSlide {
  /** What began this slide. */
  start: SlideStart;
  /** Depth of the heading that opens the slide, if one does. */
  headingDepth?: number;
  /** File line of the slide's first line (its separator or heading). */
  line: number;
  /** The file the slide was written in, when it is not the deck's own (a Slidev `src:` import). */
  file?: string;
  /** Body columns: one unless `<!-- column -->` breaks the body. */
  columns: Segment[];
  /** Speaker notes (from the `Note:` line on; other dialects may gather several pieces). */
  notes?: Segment[];
  /** How the slide joins the deck when its dialect says so outright: a new horizontal
   * position, or below the slide before it. Without it, headings and separators decide. */
  stack?: 'new' | 'join';
  /** The slide is a section's title slide (another dialect's reading of a heading). */
  section?: boolean;
  /** Running header and footer text and page numbering (Marp's directives). */
  chrome?: { header?: string; footer?: string; paginate?: boolean };
  /** `mapped`: another tool's layout read as Lectern's; a template without it falls back quietly. */
  layout?: { name: string; line: number; column: number; mapped?: boolean };
  /** Check rules turned off for this slide by `<!-- check-ignore: rule, rule -->`. */
  checkIgnore?: { rules: string[]; line: number; column: number };
  /** `<!-- fit: shrink -->` or `<!-- fit: none -->`, as written. */
  fit?: { value: string; line: number; column: number };
  /** File lines of `<!-- column -->` markers, for error messages. */
  columnBreaks: number[];
  /** The widths markers gave (`<!-- column: 40% -->`), by column; absent when none did. */
  columnWidths?: (ColumnWidth | undefined)[];
}

const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const HSEP = /^---[ \t]*$/;
const VSEP = /^----[ \t]*$/;
const NOTE = /^\s*notes?:/i;

interface Building {
  slide: RawSlide;
  lines: string[];
  lineStart: number;
  inNotes: boolean;
  /** Only blank lines so far after a separator: a heading here joins this slide. */
  fresh: boolean;
}

export function splitSlides(
  body: string,
  bodyLine: number,
  slideLevel: number,
  file = '',
): { slides: RawSlide[]; warnings: Finding[] } {
  const lines = body.split('\n');
  const slides: RawSlide[] = [];
  const warnings: Finding[] = [];
  // A fence never closed would swallow the rest of the deck: it is no fence for splitting, so the
  // next separator or heading ends it there.
  const unclosed = unclosedFenceLines(lines);
  for (const i of unclosed)
    warnings.push(fenceWarning(file, bodyLine + i, 'it ends at the next slide break after a blank line'));
  let fence: { char: string; size: number; unclosed: boolean } | null = null;
  let current: Building = open('start', bodyLine, bodyLine);

  function open(start: SlideStart, line: number, contentLine: number, headingDepth?: number): Building {
    return {
      slide: { start, line, columns: [], columnBreaks: [], ...(headingDepth ? { headingDepth } : {}) },
      lines: [],
      lineStart: contentLine,
      inNotes: false,
      fresh: start === 'horizontal' || start === 'vertical',
    };
  }

  function flushSegment(b: Building): Segment {
    return { text: b.lines.join('\n'), line: b.lineStart };
  }

  function close(b: Building): void {
    const segment = flushSegment(b);
    if (b.inNotes) b.slide.notes = [segment];
    else b.slide.columns.push(segment);
    const empty = b.slide.columns.every((c) => c.text.trim() === '') && !b.slide.notes && !b.slide.layout;
    // Text before the first heading or separator is a slide only when it has content.
    if (b.slide.start === 'start' && empty) return;
    slides.push(b.slide);
  }

  lines.forEach((text, i) => {
    const line = bodyLine + i;
    const prevBlank = i === 0 || lines[i - 1]!.trim() === '';

    // A fence never closed ends where its author meant: at a slide break after a blank line.
    const breaks =
      prevBlank && (HSEP.test(text) || VSEP.test(text) || (HEADING.exec(text)?.[1]?.length ?? 7) <= slideLevel);
    if (fence?.unclosed && breaks) fence = null;
    if (fence) {
      const m = FENCE.exec(text);
      if (m && m[1]![0] === fence.char && m[1]!.length >= fence.size && text.trim() === m[1]) fence = null;
      current.lines.push(text);
      return;
    }
    const fenceOpen = FENCE.exec(text);
    if (fenceOpen) {
      fence = { char: fenceOpen[1]![0]!, size: fenceOpen[1]!.length, unclosed: unclosed.has(i) };
      current.fresh = false;
      current.lines.push(text);
      return;
    }

    if (prevBlank && (HSEP.test(text) || VSEP.test(text))) {
      close(current);
      current = open(VSEP.test(text) ? 'vertical' : 'horizontal', line, line + 1);
      return;
    }

    const heading = HEADING.exec(text);
    if (heading && heading[1]!.length <= slideLevel) {
      const depth = heading[1]!.length;
      if (current.fresh) {
        current.slide.headingDepth = depth;
        current.fresh = false;
        current.lines = [];
        current.lineStart = line;
        current.lines.push(text);
        return;
      }
      close(current);
      current = open('heading', line, line, depth);
      current.lines.push(text);
      return;
    }

    const layout = LAYOUT.exec(text);
    if (layout && !current.inNotes) {
      current.slide.layout = { name: layout[2]!, line, column: layout[1]!.length + 1 };
      current.lines.push('');
      return;
    }
    const fit = FIT.exec(text);
    if (fit && !current.inNotes) {
      current.slide.fit = { value: fit[2]!, line, column: fit[1]!.length + 1 };
      current.lines.push('');
      return;
    }
    const ignore = CHECK_IGNORE.exec(text);
    if (ignore && !current.inNotes) {
      current.slide.checkIgnore = {
        rules: ignore[2]!.split(/[\s,]+/).filter(Boolean),
        line,
        column: ignore[1]!.length + 1,
      };
      current.lines.push('');
      return;
    }
    const column = COLUMN.exec(text);
    if (column && !current.inNotes) {
      const width = columnWidth(column, line);
      if (current.slide.columns.length === 0 && nothingYet(current.lines)) {
        // Before any content: the marker gives the first column its width and opens no other.
        if (width) current.slide.columnWidths = [width];
        current.lines.push('');
        return;
      }
      current.slide.columns.push(flushSegment(current));
      current.slide.columnBreaks.push(line);
      if (width) {
        current.slide.columnWidths ??= [];
        current.slide.columnWidths[current.slide.columns.length] = width;
      }
      current.lines = [];
      current.lineStart = line + 1;
      return;
    }
    if (!current.inNotes && NOTE.test(text)) {
      current.slide.columns.push(flushSegment(current));
      current.inNotes = true;
      current.lines = [text.replace(NOTE, '').trimStart()];
      current.lineStart = line;
      current.fresh = false;
      return;
    }

    if (text.trim() !== '') current.fresh = false;
    // Pandoc's image attributes (`![](a.png){width=50%}`, `{.contain}`) are Lectern's too.
    current.lines.push(text.includes('](') ? rewriteImageAttributes(text) : text);
  });
  close(current);
  return { slides, warnings };
}
