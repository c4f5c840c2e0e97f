import type { Finding } from '../../errors.js';
import { rewriteImageAttributes } from './pandoc-inline.js';
import type { RawSlide, Segment } from '../split.js';

/** Shared pieces of the dialect splitters: positions of offsets, fences, notes in HTML. Pure. */

/** Maps offsets in a text to file lines, for a text whose offset 0 is on `firstLine`. */
export function lineIndex(text: string, firstLine: number): (offset: number) => number {
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => firstLine + lastAtMost(starts, offset);
}

/** The index of the last value not above `value` in an ascending list (0 when none is). */
export function lastAtMost(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The warning for a code fence never closed, with what became of it. */
export function fenceWarning(file: string, line: number, outcome: string): Finding {
  return {
    code: 'FENCE_UNCLOSED',
    message: `this code block is never closed; ${outcome}`,
    pos: { file, line, column: 1 },
    hint: 'close it with a line of the same backticks (```)',
  };
}

/** Indices of the lines that open a fence no later line closes (scanning as the splitter does). */
export function unclosedFenceLines(lines: string[]): Set<number> {
  const unclosed = new Set<number>();
  let from = 0;
  // Each rescan starts after the fence found unclosed, so the work stays bounded by the file.
  for (let round = 0; round < 100; round++) {
    let open: { char: string; size: number; at: number } | null = null;
    for (let i = from; i < lines.length; i++) {
      const m = FENCE.exec(lines[i]!);
      if (open) {
        if (m && m[1]![0] === open.char && m[1]!.length >= open.size && lines[i]!.trim() === m[1]) open = null;
      } else if (m && !unclosed.has(i)) {
        open = { char: m[1]![0]!, size: m[1]!.length, at: i };
      }
    }
    if (!open) break;
    unclosed.add(open.at);
    from = open.at + 1;
  }
  return unclosed;
}

/** Tracks fenced code line by line: `inside` says whether the line just fed is code. */
export class FenceTracker {
  private open: { mark: string; line: number } | null = null;
  /** Feeds one line; true when the line is inside (or opens or closes) a fence. */
  feed(line: string, lineNo: number): boolean {
    const mark = FENCE.exec(line)?.[1];
    if (this.open) {
      if (mark && mark[0] === this.open.mark[0] && mark.length >= this.open.mark.length && line.trim() === mark)
        this.open = null;
      return true;
    }
    if (mark && !(mark[0] === '`' && line.slice(line.indexOf(mark) + mark.length).includes('`'))) {
      this.open = { mark, line: lineNo };
      return true;
    }
    return false;
  }
  get inside(): boolean {
    return this.open !== null;
  }
  /** The line of the fence still open, if any. */
  get openedAt(): number | null {
    return this.open?.line ?? null;
  }
  reset(): void {
    this.open = null;
  }
}

/** A warning for each code fence a segment opens and never closes. */
export function unclosedFences(segments: Segment[], file: string, where: string): Finding[] {
  const warnings: Finding[] = [];
  for (const segment of segments) {
    const fences = new FenceTracker();
    segment.text.split('\n').forEach((line, i) => {
      fences.feed(line, segment.line + i);
    });
    if (fences.openedAt !== null)
      warnings.push(fenceWarning(file, fences.openedAt, `it runs to the end of the ${where}`));
  }
  return warnings;
}

const ASIDE_OPEN = /<aside\s+class\s*=\s*["']?notes["']?\s*>/gi;

/**
 * Takes `<aside class="notes">…</aside>` out of a slide's text, as reveal.js reads it, keeping
 * lines. Each opening takes the first closing after it; one pass over the text.
 */
export function takeAsideNotes(segment: Segment): { body: Segment; notes: Segment[] } {
  if (!/<aside/i.test(segment.text)) return { body: segment, notes: [] };
  const notes: Segment[] = [];
  const at = lineIndex(segment.text, segment.line);
  const lower = segment.text.toLowerCase();
  let text = '';
  let cursor = 0;
  ASIDE_OPEN.lastIndex = 0;
  for (let m = ASIDE_OPEN.exec(segment.text); m; m = ASIDE_OPEN.exec(segment.text)) {
    const close = lower.indexOf('</aside>', ASIDE_OPEN.lastIndex);
    if (close === -1) break;
    notes.push({ text: segment.text.slice(ASIDE_OPEN.lastIndex, close), line: at(m.index) });
    // The aside's place keeps its line breaks, so the lines after it keep their numbers.
    text += segment.text.slice(cursor, m.index) + segment.text.slice(m.index, close + 8).replace(/[^\n]/g, '');
    cursor = close + 8;
    ASIDE_OPEN.lastIndex = cursor;
  }
  return { body: { text: text + segment.text.slice(cursor), line: segment.line }, notes };
}

/** Lectern's slide directives, read in every dialect. */
export const LAYOUT = /^(\s*)<!--\s*layout:\s*([^\s>]*)\s*-->\s*$/i;
export const CHECK_IGNORE = /^(\s*)<!--\s*check-ignore:\s*([^>]*?)\s*-->\s*$/i;
/** `<!-- fit: shrink -->` (or `none`): whether the slide's text is scaled down until it fits. */
export const FIT = /^(\s*)<!--\s*fit:\s*([^\s>]*)\s*-->\s*$/i;
/** `<!-- column -->`, or `<!-- column: 40% -->` with the width of the column it opens. */
export const COLUMN = /^(\s*)<!--\s*column(?:\s*:\s*([^>]*?))?\s*-->\s*$/i;

/** A column marker's width, as written, and where. */
export interface ColumnWidth {
  text: string;
  line: number;
  column: number;
}

/** The width a column marker gives, if it gives one. */
export function columnWidth(m: RegExpExecArray, line: number): ColumnWidth | undefined {
  return m[2] ? { text: m[2], line, column: m[1]!.length + 1 } : undefined;
}

/** Whether a column's lines so far hold nothing but its heading: a marker there opens the first column. */
export function nothingYet(lines: string[]): boolean {
  return lines.every((l) => l.trim() === '' || /^ {0,3}#{1,6}([ \t]|$)/.test(l));
}

/** Lectern's own slide directives (layout, column breaks, check-ignore), honoured in every dialect. */
export function shapeSlide(
  segment: Segment,
): Pick<RawSlide, 'columns' | 'layout' | 'checkIgnore' | 'columnBreaks' | 'columnWidths' | 'fit'> {
  const out: Pick<RawSlide, 'columns' | 'layout' | 'checkIgnore' | 'columnBreaks' | 'columnWidths' | 'fit'> = {
    columns: [],
    columnBreaks: [],
  };
  const fences = new FenceTracker();
  let lines: string[] = [];
  let start = segment.line;
  segment.text.split('\n').forEach((text, i) => {
    const line = segment.line + i;
    if (fences.feed(text, line)) {
      lines.push(text);
      return;
    }
    const layout = LAYOUT.exec(text);
    const ignore = CHECK_IGNORE.exec(text);
    const fit = FIT.exec(text);
    if (fit) {
      out.fit = { value: fit[2]!, line, column: fit[1]!.length + 1 };
      lines.push('');
    } else if (layout) {
      out.layout = { name: layout[2]!, line, column: layout[1]!.length + 1 };
      lines.push('');
    } else if (ignore) {
      out.checkIgnore = { rules: ignore[2]!.split(/[\s,]+/).filter(Boolean), line, column: ignore[1]!.length + 1 };
      lines.push('');
    } else if (COLUMN.test(text)) {
      const width = columnWidth(COLUMN.exec(text)!, line);
      if (out.columns.length === 0 && nothingYet(lines)) {
        // Before any content: the marker gives the first column its width and opens no other.
        if (width) out.columnWidths = [width];
        lines.push('');
        return;
      }
      out.columns.push({ text: lines.join('\n'), line: start });
      out.columnBreaks.push(line);
      if (width) {
        out.columnWidths ??= [];
        out.columnWidths[out.columns.length] = width;
      }
      lines = [];
      start = line + 1;
    } else {
      // Pandoc's image attributes (`![](a.png){width=50%}`) are read in these decks too.
      lines.push(text.includes('](') ? rewriteImageAttributes(text) : text);
    }
  });
  out.columns.push({ text: lines.join('\n'), line: start });
  return out;
}

/** The depth of the heading a slide's text opens with (ATX or setext), if it opens with one. */
export function openingHeading(text: string): number | undefined {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '' && !/^\s*<!--[\s\S]*-->\s*$/.test(l));
  if (first === -1) return undefined;
  const atx = /^ {0,3}(#{1,6})(?=[ \t]|$)/.exec(lines[first]!);
  if (atx) return atx[1]!.length;
  const under = lines[first + 1];
  if (under !== undefined && /^ {0,3}=+\s*$/.test(under)) return 1;
  if (under !== undefined && /^ {0,3}-+\s*$/.test(under)) return 2;
  return undefined;
}

/**
 * An attribute value for a directive comment a dialect writes (`<!-- .slide: … -->`): quoted, with
 * the characters that could end the quote or the comment written as references (the directive
 * reader decodes them).
 */
export function quote(value: string): string {
  return `"${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`;
}

/** Text rewritten line by line, each line remembering the line of the file it stands for. */
export interface MappedLines {
  lines: string[];
  map: number[];
}

/** Adds a line of rewritten text and the file line it stands for. */
export function pushLine(out: MappedLines, text: string, fileLine: number): void {
  out.lines.push(text);
  out.map.push(fileLine);
}
