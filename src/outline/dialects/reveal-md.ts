import type { SourcePos, Finding } from '../../errors.js';
import { boundedMatches } from './bounded-regex.js';
import type { RawSlide, Segment } from '../split.js';
import {
  FenceTracker,
  lastAtMost,
  lineIndex,
  openingHeading,
  shapeSlide,
  takeAsideNotes,
  unclosedFences,
} from './lines.js';

/**
 * reveal-md and the reveal.js Markdown plugin: the body is cut by two regular expressions run
 * over the whole text (code fences included, as the plugin does), and a slide's notes start
 * where the notes separator matches — only when it matches once, as the plugin requires.
 * Headings never split. Pure.
 */

/**
 * reveal-md's defaults: a bare `---` or `----` line, no blank lines needed around it. The notes
 * separator is the plugin's `^\s*notes?:` as its source means it: reveal.js loses the `\s` in
 * the string and so shows an indented `Note:` as text, which no author means.
 */
const revealMdDefaults = {
  separator: '\\r?\\n---\\r?\\n',
  verticalSeparator: '\\r?\\n----\\r?\\n',
  notesSeparator: '^[ \\t]*notes?:',
} as const;

interface RevealMdOptions {
  separator?: string;
  verticalSeparator?: string;
  notesSeparator?: string;
}

export function splitRevealMd(
  body: string,
  bodyLine: number,
  hasFrontMatter: boolean,
  options: RevealMdOptions,
  file: string,
): { slides: RawSlide[]; warnings: Finding[] } {
  const separator = options.separator ?? revealMdDefaults.separator;
  const vertical = options.verticalSeparator ?? revealMdDefaults.verticalSeparator;
  const notesSeparator = options.notesSeparator ?? revealMdDefaults.notesSeparator;
  const { text, lineAt } = pluginText(body, bodyLine, hasFrontMatter);
  const at: SourcePos = { file, line: 1, column: 1 };
  const found = boundedMatches(`${separator}${vertical ? `|${vertical}` : ''}`, 'mg', [text], at, separator)[0]!;

  const chunks: { text: string; offset: number; join: boolean; sepLine?: number }[] = [];
  let last = 0;
  let pendingJoin = false;
  let sepLine: number | undefined;
  for (const m of found) {
    chunks.push({
      text: text.slice(last, m.index),
      offset: last,
      join: pendingJoin,
      ...(sepLine !== undefined ? { sepLine } : {}),
    });
    // The text after a vertical separator stacks below the slide before it.
    pendingJoin = !m.also;
    last = m.index + m.length;
    // The slide starts at its separator's line (the first line the match does not end on).
    const lead = /^[\r\n]*/.exec(text.slice(m.index, m.index + m.length))![0].length;
    sepLine = lineAt(Math.min(m.index + lead, text.length));
  }
  chunks.push({
    text: text.slice(last),
    offset: last,
    join: pendingJoin,
    ...(sepLine !== undefined ? { sepLine } : {}),
  });
  const notesFound = boundedMatches(
    notesSeparator,
    'mgi',
    chunks.map((c) => c.text),
    at,
  );

  const warnings: Finding[] = [];
  const slides = chunks.map((chunk, i): RawSlide => {
    const line = lineAt(chunk.offset);
    let content: Segment = { text: chunk.text, line };
    const notes: Segment[] = [];
    // A marker inside a code block left open is code on the slide, not notes (the plugin puts the
    // notes after the slide's text, inside that block). The plugin also drops the notes of a slide
    // with two markers, showing both as text; here the notes run from the first, as meant.
    const inFence = fenceAt(chunk.text);
    const marks = notesFound[i]!.filter((m) => !inFence(m.index));
    if (marks.length > 0) {
      const at = marks[0]!.index;
      const from = at + marks[0]!.length;
      content = { text: chunk.text.slice(0, at), line };
      // Later markers are dropped from the notes.
      let rest = '';
      let cursor = from;
      for (const m of marks.slice(1)) {
        rest += chunk.text.slice(cursor, m.index);
        cursor = m.index + m.length;
      }
      rest += chunk.text.slice(cursor);
      notes.push({ text: rest.replace(/^[ \t]+/, ''), line: lineAt(chunk.offset + from) });
    }
    const aside = takeAsideNotes(content);
    notes.push(...aside.notes);
    const shaped = shapeSlide(aside.body);
    for (const w of unclosedFences(shaped.columns, file, 'slide (reveal-md cuts slides inside code blocks too)'))
      warnings.push(w);
    const depth = openingHeading(aside.body.text);
    return {
      start: chunk.join ? 'vertical' : i === 0 ? 'start' : 'horizontal',
      stack: chunk.join ? 'join' : 'new',
      // The first text line may be the one reveal-md adds (the front matter's closing newline).
      line: Math.max(bodyLine, chunk.sepLine ?? line),
      // A slide holding one top-level heading and nothing else reads as a section title.
      ...(depth === 1 && onlyHeading(aside.body.text) ? { section: true } : {}),
      ...shaped,
      ...(depth !== undefined ? { headingDepth: depth } : {}),
      ...(notes.length ? { notes } : {}),
    };
  });
  return { slides, warnings };
}

/** Whether a slide's text is a single heading line (comments and blank lines aside). */
function onlyHeading(text: string): boolean {
  const visible = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*<!--[\s\S]*-->\s*$/.test(l));
  return visible.length === 1 && /^ {0,3}#{1,6}(\s|$)/.test(visible[0]!);
}

/**
 * The text the reveal.js plugin splits, as reveal-md hands it over: inside a `<textarea>` after
 * twelve spaces of indentation (the front matter's closing newline included), and with the
 * plugin's leading-whitespace normalisation applied. Lines keep their file numbers.
 */
function pluginText(
  body: string,
  bodyLine: number,
  hasFrontMatter: boolean,
): { text: string; lineAt: (offset: number) => number } {
  const markdown = `${hasFrontMatter ? '\n' : ''}${body}`;
  const raw = `${' '.repeat(12)}${markdown}\n${' '.repeat(10)}`;
  const leadingWs = /^\n?(\s*)/.exec(raw)![1]!.length;
  const leadingTabs = /^\n?(\t*)/.exec(raw)![1]!.length;
  let text = raw;
  if (leadingTabs > 0)
    text = raw.replace(new RegExp(`\\n?\\t{${leadingTabs}}(.*)`, 'g'), (_m, p1: string) => `\n${p1}`);
  else if (leadingWs > 1) text = raw.replace(new RegExp(`\\n? {${leadingWs}}(.*)`, 'g'), (_m, p1: string) => `\n${p1}`);
  // The normalisation keeps every line but may put one newline in front of the first.
  const shift = text.startsWith('\n') && !raw.startsWith('\n') ? 1 : 0;
  const firstLine = (hasFrontMatter ? bodyLine - 1 : bodyLine) - shift;
  return { text, lineAt: lineIndex(text, firstLine) };
}

/** Whether a code fence is open at an offset of a slide's text: one pass, then a lookup per offset. */
function fenceAt(text: string): (offset: number) => boolean {
  const fences = new FenceTracker();
  const open: boolean[] = [];
  const starts: number[] = [];
  let offset = 0;
  for (const [i, line] of text.split('\n').entries()) {
    // A marker at the start of a line is inside a fence when one is open before that line.
    open.push(fences.inside);
    starts.push(offset);
    fences.feed(line, i);
    offset += line.length + 1;
  }
  return (at) => open[lastAtMost(starts, at)]!;
}
