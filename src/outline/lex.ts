import { Lexer, type Token, type Tokens } from 'marked';
import { DeckError } from '../errors.js';
import { markdownOptionsFor } from './extensions.js';
import type { Segment } from './split.js';

/** A marked token with the file line and column it starts on (marked itself keeps no positions). */
export type LinedToken = Token & { line: number; column: number };

/**
 * Lexes one segment of Markdown and gives every token, nested ones included, the file line it
 * starts on: a child's line is its parent's plus the newlines before the child's raw text.
 */
export function lexSegment(segment: Segment, file = ''): LinedToken[] {
  const map = segment.lineMap;
  const fileLine = (index: number) =>
    map ? (map[Math.min(index, map.length - 1)] ?? segment.line) : segment.line + index;
  checkNesting(segment, file, fileLine);
  const tokens = new Lexer(markdownOptionsFor(segment.text)).lex(segment.text);
  annotate(tokens, segment.text, map ? 0 : segment.line, 1);
  if (map) walkTokens(tokens, (token) => (token.line = fileLine(token.line)));
  return [...tokens] as unknown as LinedToken[];
}

/** Deeper than any slide needs, shallow enough that the Markdown parser cannot be driven into
 * deep recursion or runaway memory by nested quotes or lists. */
const MAX_NESTING = 50;
/** Emphasis markers one paragraph may hold: resolving them costs time that grows with their square. */
const MAX_EMPHASIS = 1000;
/** Table cells one row may hold. */
const MAX_CELLS = 1000;
/** Lines one quote may run to: the Markdown parser rescans a quote for each line it takes in. */
const MAX_QUOTE_LINES = 1000;

function countMarkers(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 42 || c === 95 || c === 126) n++;
  }
  return n;
}

function checkNesting(segment: Segment, file: string, fileLine: (index: number) => number): void {
  const lines = segment.text.split('\n');
  let markers = 0;
  let paragraphLine = 0;
  let fence: string | null = null;
  let quoteFrom = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const quotes = /^[\s>]*/.exec(line)![0].split('>').length - 1;
    const indent = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
    const listItem = /^[ \t]*([-+*]|\d{1,9}[.)])([ \t]|$)/.test(line);
    const depth = Math.max(quotes, listItem ? Math.floor(indent / 2) + 1 : 0);
    const pipes = line.length > MAX_CELLS ? (line.match(/\|/g)?.length ?? 0) : 0;
    if (pipes > MAX_CELLS) {
      throw new DeckError('MARKDOWN_TOO_COMPLEX', `a table row with ${pipes} cells (the limit is ${MAX_CELLS})`, {
        pos: { file, line: fileLine(i), column: 1 },
        hint: 'no slide can show that many columns; split the table',
      });
    }
    // Emphasis is resolved per paragraph (and per list item or cell within it), not per line:
    // count the markers of each run of non-blank lines outside fenced code.
    const fenceMark = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fenceMark && (fence === null || (fenceMark[0] === fence[0] && fenceMark.length >= fence.length))) {
      fence = fence === null ? fenceMark : null;
      markers = 0;
      continue;
    }
    if (fence !== null) continue;
    // A quote runs from a `>` line until a blank line, lazy continuation lines included.
    if (line.trim() === '') quoteFrom = -1;
    else if (quoteFrom === -1 && /^ {0,3}>/.test(line)) quoteFrom = i;
    if (quoteFrom !== -1 && i - quoteFrom >= MAX_QUOTE_LINES) {
      throw new DeckError(
        'MARKDOWN_TOO_COMPLEX',
        `a quote of more than ${MAX_QUOTE_LINES} lines, from line ${fileLine(quoteFrom)}`,
        {
          pos: { file, line: fileLine(i), column: 1 },
          hint: 'no slide shows that much: end the quote with a blank line, or split it',
        },
      );
    }
    // A blank line ends a paragraph; a list item, a heading and a table row are inline text of their own.
    if (line.trim() === '' || listItem || /^ {0,3}(#{1,6}[ \t]|\|)/.test(line)) {
      markers = line.trim() === '' ? 0 : countMarkers(line);
      paragraphLine = line.trim() === '' ? i + 1 : i;
    } else {
      markers += countMarkers(line);
    }
    if (markers > MAX_EMPHASIS) {
      throw new DeckError(
        'MARKDOWN_TOO_COMPLEX',
        `a paragraph with more than ${MAX_EMPHASIS} emphasis markers (* _ ~), from line ${fileLine(paragraphLine)} to here`,
        {
          pos: { file, line: fileLine(i), column: 1 },
          hint: 'Markdown emphasis is costly to resolve at that scale: escape the markers (\\*) or put the text in a code block',
        },
      );
    }
    if (depth > MAX_NESTING) {
      throw new DeckError('MARKDOWN_TOO_DEEP', `quotes or lists nested ${depth} deep (the limit is ${MAX_NESTING})`, {
        pos: { file, line: fileLine(i), column: 1 },
        hint: 'flatten the nesting; no slide needs more than a few levels',
      });
    }
  }
}

/** `column` is the file column of `source[0]`; later lines of `source` start at column 1. */
function annotate(tokens: Token[], source: string, line: number, column: number): void {
  let cursor = 0;
  // Newlines are counted once, moving forward with the tokens: linear in the source.
  let counted = 0;
  let newlines = 0;
  for (const token of tokens) {
    const at = token.raw ? source.indexOf(token.raw, cursor) : -1;
    const offset = at === -1 ? cursor : at;
    newlines += countNewlines(source, counted, offset);
    counted = Math.max(counted, offset);
    const lined = token as LinedToken;
    lined.line = line + newlines;
    lined.column = newlines === 0 ? column + offset : offset - source.lastIndexOf('\n', offset - 1);
    if (at !== -1) cursor = at + token.raw.length;
    for (const children of childLists(token)) annotate(children, token.raw, lined.line, lined.column);
  }
}

function childLists(token: Token): Token[][] {
  const lists: Token[][] = [];
  if (token.type === 'list') lists.push((token as Tokens.List).items as unknown as Token[]);
  if (token.type === 'table') {
    // One list, in reading order, so line numbering moves forward through the table once.
    const table = token as Tokens.Table;
    lists.push([
      ...table.header.flatMap((cell) => cell.tokens),
      ...table.rows.flatMap((row) => row.flatMap((cell) => cell.tokens)),
    ]);
  }
  const nested = (token as { tokens?: Token[] }).tokens;
  if (Array.isArray(nested)) lists.push(nested);
  return lists;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Visits every token depth first, list items and table cells included. */
export function walkTokens(tokens: Token[], visit: (token: LinedToken) => void): void {
  for (const token of tokens) {
    visit(token as LinedToken);
    for (const children of childLists(token)) walkTokens(children, visit);
  }
}
