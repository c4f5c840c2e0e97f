import type { Warning } from '../../errors.js';
import type { RawSlide, Segment } from '../split.js';
import { lineIndex, openingHeading, shapeSlide, takeAsideNotes, unclosedFences } from './lines.js';

/**
 * reveal-md and the reveal.js Markdown plugin: the body is cut by two regular expressions run
 * over the whole text (code fences included, as the plugin does), and a slide's notes start
 * where the notes separator matches — only when it matches once, as the plugin requires.
 * Headings never split. Pure.
 */

/** reveal-md's defaults: a bare `---` or `----` line, no blank lines needed around it. The notes
 * separator is the plugin's `^\s*notes?:` as its source string reads it (`\s` lost in the quotes):
 * a `Note:` line that is not indented. */
export const revealMdDefaults = {
  separator: '\\r?\\n---\\r?\\n',
  verticalSeparator: '\\r?\\n----\\r?\\n',
  notesSeparator: '^notes?:',
} as const;

export interface RevealMdOptions {
  separator?: string;
  verticalSeparator?: string;
  notesSeparator?: string;
}

export function splitRevealMd(body: string, bodyLine: number, hasFrontMatter: boolean, options: RevealMdOptions, file: string): { slides: RawSlide[]; warnings: Warning[] } {
  const separator = options.separator ?? revealMdDefaults.separator;
  const vertical = options.verticalSeparator ?? revealMdDefaults.verticalSeparator;
  const notesSeparator = options.notesSeparator ?? revealMdDefaults.notesSeparator;
  // reveal-md hands the plugin the text after the front matter's closing line, its newline included.
  // It also ends the text with a newline, so a final `---` makes one more (empty) slide.
  const text = `${hasFrontMatter ? '\n' : ''}${body}${body.endsWith('\n') ? '' : '\n'}`;
  const firstLine = hasFrontMatter ? bodyLine - 1 : bodyLine;
  const lineAt = lineIndex(text, firstLine);
  const both = new RegExp(`${separator}${vertical ? `|${vertical}` : ''}`, 'mg');
  const horizontal = new RegExp(separator);

  const chunks: { text: string; offset: number; join: boolean; sepLine?: number }[] = [];
  let last = 0;
  let wasHorizontal = true;
  let pendingJoin = false;
  let sepLine: number | undefined;
  for (let m = both.exec(text); m; m = both.exec(text)) {
    if (m[0].length === 0) {
      both.lastIndex++;
      continue;
    }
    const isHorizontal = horizontal.test(m[0]);
    chunks.push({ text: text.slice(last, m.index), offset: last, join: pendingJoin, ...(sepLine !== undefined ? { sepLine } : {}) });
    // The text after a vertical separator stacks below the slide before it.
    pendingJoin = !isHorizontal;
    last = both.lastIndex;
    // The slide starts at its separator's line (the first line the match does not end on).
    const lead = /^[\r\n]*/.exec(m[0])![0].length;
    sepLine = lineAt(Math.min(m.index + lead, text.length));
    wasHorizontal = isHorizontal;
  }
  void wasHorizontal;
  chunks.push({ text: text.slice(last), offset: last, join: pendingJoin, ...(sepLine !== undefined ? { sepLine } : {}) });

  const warnings: Warning[] = [];
  const slides = chunks.map((chunk, i): RawSlide => {
    const line = lineAt(chunk.offset);
    let content: Segment = { text: chunk.text, line };
    const notes: Segment[] = [];
    const notesRe = new RegExp(notesSeparator, 'mgi');
    const found = [...chunk.text.matchAll(notesRe)].filter((m) => m[0].length > 0);
    if (found.length === 1) {
      const at = found[0]!.index!;
      content = { text: chunk.text.slice(0, at), line };
      notes.push({ text: chunk.text.slice(at + found[0]![0].length).replace(/^[ \t]+/, ''), line: lineAt(chunk.offset + at + found[0]![0].length) });
    }
    const aside = takeAsideNotes(content);
    notes.push(...aside.notes);
    const shaped = shapeSlide(aside.body);
    warnings.push(...unclosedFences(shaped.columns, file, 'slide (reveal-md cuts slides inside code blocks too)'));
    const depth = openingHeading(aside.body.text);
    return {
      start: chunk.join ? 'vertical' : i === 0 ? 'start' : 'horizontal',
      stack: chunk.join ? 'join' : 'new',
      line: chunk.sepLine ?? line,
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
export function onlyHeading(text: string): boolean {
  const visible = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*<!--[\s\S]*-->\s*$/.test(l));
  return visible.length === 1 && /^ {0,3}#{1,6}(\s|$)/.test(visible[0]!);
}
