import type { SourcePos } from '../../errors.js';
import { FENCE, unclosedFenceLines } from './lines.js';

/**
 * How Pandoc sees a deck's outline: its headings (ATX after a blank line, and setext), its
 * horizontal rules, the slide level it infers from them, and the `%` title block. Pure.
 */

export const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
export const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
export const DIV_OPEN = /^(:{3,})[ \t]*(\{[^}]{0,500}\}|[\w-]+)[ \t]*(\{[^}]{0,500}\})?[ \t]*:*[ \t]*$/;
export const DIV_CLOSE = /^:{3,}[ \t]*$/;

/** A top-level heading, ATX or setext: its depth, text, attributes. */
interface HeadingLine {
  depth: number;
  /** Lines it takes (2 for setext). */
  lines: number;
}

export function headingAt(lines: string[], i: number, prevBlank: boolean, strict = true): HeadingLine | null {
  // Pandoc's Markdown wants a blank line before a heading (blank_before_header).
  const atx = ATX.exec(lines[i]!);
  if (atx) return prevBlank || !strict ? { depth: atx[1]!.length, lines: 1 } : null;
  const next = lines[i + 1];
  const text = lines[i]!;
  if (next === undefined || text.trim() === '' || !prevBlank) return null;
  if (/^ {0,3}[>|*+-]|^ {0,3}\d+[.)]\s|^ {0,3}<|^ {0,3}(`{3,}|~{3,})|^:::/.test(text)) return null;
  if (/^ {0,3}=+[ \t]*$/.test(next)) return { depth: 1, lines: 2 };
  if (/^ {0,3}-+[ \t]*$/.test(next)) return { depth: 2, lines: 2 };
  return null;
}

/** One pass over the top level (outside fences and divs), as every later step needs it. */
function topLevel(
  lines: string[],
  unclosed: Set<number>,
  strict = true,
): { kind: 'heading' | 'rule' | 'other' | 'blank'; depth?: number; at: number }[] {
  const blocks: { kind: 'heading' | 'rule' | 'other' | 'blank'; depth?: number; at: number }[] = [];
  let fence: string | null = null;
  let divs = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const mark = unclosed.has(i) ? undefined : FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) fence = null;
      continue;
    }
    if (mark) {
      fence = mark;
      if (divs === 0) blocks.push({ kind: 'other', at: i });
      continue;
    }
    if (DIV_OPEN.test(line)) {
      if (divs === 0) blocks.push({ kind: 'other', at: i });
      divs++;
      continue;
    }
    if (DIV_CLOSE.test(line) && divs > 0) {
      divs--;
      continue;
    }
    if (divs > 0) continue;
    const table = tableEnd(lines, i);
    if (table !== null) {
      blocks.push({ kind: 'other', at: i });
      i = table;
      continue;
    }
    const prevBlank = blockEnded(lines, i);
    const heading = headingAt(lines, i, prevBlank, strict);
    if (heading) {
      blocks.push({ kind: 'heading', depth: heading.depth, at: i });
      i += heading.lines - 1;
    } else if (RULE.test(line) && prevBlank) {
      blocks.push({ kind: 'rule', at: i });
    } else {
      blocks.push({ kind: line.trim() === '' ? 'blank' : 'other', at: i });
    }
  }
  return blocks;
}

/** Pandoc's default: the highest heading level followed at once by content somewhere. */
export function inferSlideLevel(lines: string[], unclosed = unclosedFenceLines(lines), strict = true): number {
  const blocks = topLevel(lines, unclosed, strict).filter((b) => b.kind !== 'blank');
  let level = 7;
  blocks.forEach((block, i) => {
    const next = blocks[i + 1];
    if (block.kind === 'heading' && next && next.kind !== 'heading' && block.depth! < level) level = block.depth!;
  });
  // Only headings and no content: the deepest heading makes the slides.
  if (level === 7) {
    const depths = blocks.filter((b) => b.kind === 'heading').map((b) => b.depth!);
    return depths.length ? Math.max(...depths) : 1;
  }
  return level;
}

/** A `%` title block (title, authors, date), read when the deck has no YAML front matter. */
export function readTitleBlock(
  body: string,
  bodyLine: number,
  file: string,
): {
  meta: Record<string, unknown>;
  body: string;
  bodyLine: number;
  locate: (key: string) => SourcePos | undefined;
} | null {
  if (!/^%/.test(body)) return null;
  const lines = body.split('\n');
  const fields: string[][] = [];
  let i = 0;
  for (; i < lines.length && fields.length < 3; i++) {
    const line = lines[i]!;
    if (line.startsWith('%')) fields.push([line.slice(1).trim()]);
    else if (/^[ \t]+\S/.test(line) && fields.length > 0) fields.at(-1)!.push(line.trim());
    else break;
  }
  const [title, authors, date] = fields.map((f) => f.join(' ').trim());
  const meta: Record<string, unknown> = {};
  const at: Record<string, number> = {};
  const found: [string, unknown, string | undefined][] = [
    ['title', title, title],
    [
      'author',
      authors
        ?.split(';')
        .map((a) => a.trim())
        .filter(Boolean),
      authors,
    ],
    ['date', date, date],
  ];
  found.forEach(([key, value, written], index) => {
    if (!written) return;
    meta[key] = value;
    at[key] = index;
  });
  return {
    meta,
    body: lines.slice(i).join('\n'),
    bodyLine: bodyLine + i,
    locate: (key) => (at[key] !== undefined ? { file, line: bodyLine + at[key]!, column: 1 } : undefined),
  };
}

/**
 * Whether a heading may start at line `i`: Pandoc wants a blank line before one only where it
 * would otherwise continue a paragraph, a list or a quote. After a closed code block, a fenced
 * div's fence (opening or closing), a heading or a horizontal rule it needs none. (Only called outside code blocks, so a bare fence line
 * before `i` is a closing one.)
 */
export function blockEnded(lines: string[], i: number): boolean {
  if (i === 0) return true;
  const prev = lines[i - 1]!;
  return (
    prev.trim() === '' ||
    /^\s*(`{3,}|~{3,})\s*$/.test(prev) ||
    /^:{3,}/.test(prev) ||
    /^#{1,6}\s/.test(prev) ||
    (RULE.test(prev) && (i < 2 || lines[i - 2]!.trim() === ''))
  );
}

/**
 * Pandoc's headerless multiline table: a line of dashes after a blank line with text right under
 * it, running to the next line of dashes that a blank line (or the end) follows. Everything in
 * it is table text, headings and rules included. Returns the closing line, or null.
 */
export function tableEnd(lines: string[], i: number): number | null {
  const dashes = /^-{3,}[ \t]*$/;
  if (!dashes.test(lines[i]!) || (i > 0 && lines[i - 1]!.trim() !== '')) return null;
  const next = lines[i + 1];
  if (next === undefined || next.trim() === '' || dashes.test(next)) return null;
  for (let j = i + 2; j < lines.length; j++) {
    if (dashes.test(lines[j]!) && (j + 1 === lines.length || lines[j + 1]!.trim() === '')) return j;
  }
  return null;
}
