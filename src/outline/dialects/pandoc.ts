import type { Finding } from '../../errors.js';
import type { RawSlide, Segment } from '../split.js';
import { FENCE, fenceWarning, type MappedLines, pushLine, unclosedFenceLines } from './lines.js';
import {
  ATX,
  blockEnded,
  DIV_CLOSE,
  DIV_OPEN,
  headingAt,
  inferSlideLevel,
  RULE,
  tableEnd,
} from './pandoc-structure.js';
import {
  elementAttributes,
  parseAttributes,
  rewriteInline,
  slideDirective,
  type PandocAttributes,
} from './pandoc-inline.js';

/**
 * Pandoc's revealjs writer (and Quarto's revealjs format on top of it): slides split at the
 * slide level — given, or Pandoc's own choice — headings above it make section title slides
 * that open a vertical stack, a horizontal rule starts a slide, fenced divs become HTML (notes,
 * columns, incremental lists, fragments, callouts), `. . .` pauses, attributes on headings,
 * images and spans. The rewritten text keeps a map to the file's lines. Pure.
 */

interface PandocOptions {
  file: string;
  quarto: boolean;
  /** Given in front matter, config or flags; otherwise Pandoc's rule (Quarto: 2). */
  slideLevel?: number;
  incremental: boolean;
  /** `-t html5 --section-divs`: sections by heading, the top two levels slides, rules only rules. */
  sectionDivs?: boolean;
}

const PAUSE = /^\. \. \.[ \t]*$/;
const HEADING_ATTRS = /(?:^|[ \t]+)\{([^}]{0,500})\}[ \t]*$/;
const SHORTCODE = /\{\{<\s*([\w-]+)[^>]*>\}\}/g;

type Out = MappedLines;

interface Frame {
  kind: 'div' | 'notes' | 'drop';
  /** `. . .` pauses opened inside this div, closed with it. */
  pauses: number;
  /** The `<div …>` was written (a notes div writes nothing into the slide). */
  close: string;
}

export function splitPandoc(
  body: string,
  bodyLine: number,
  options: PandocOptions,
): { slides: RawSlide[]; warnings: Finding[] } {
  const { file } = options;
  const lines = body.split('\n');
  const warnings: Finding[] = [];
  const warn = (line: number, message: string, hint?: string) =>
    warnings.push({
      code: 'SYNTAX_UNSUPPORTED',
      message,
      pos: { file, line: bodyLine + line, column: 1 },
      ...(hint ? { hint } : {}),
    });
  // A fence never closed is text to Pandoc: it swallows nothing.
  const unclosed = unclosedFenceLines(lines);
  for (const i of unclosed) {
    warnings.push(fenceWarning(file, bodyLine + i, 'it is read as text'));
  }
  const slideLevel =
    options.slideLevel ??
    (options.sectionDivs ? sectionLevel(lines, unclosed) : options.quarto ? 2 : inferSlideLevel(lines, unclosed));
  /** A section heading with nothing under it but its slides: a stack's name, not a slide of its own. */
  let stackNext = false;
  /** The first slide of a stack whose own section has content: it stays on that section's slide. */
  let mergeAt = -1;

  const slides: RawSlide[] = [];
  let body_: Out = { lines: [], map: [] };
  let notes: Out = { lines: [], map: [] };
  let current: RawSlide | null = null;
  let inSection = false;
  const frames: Frame[] = [];
  let slidePauses = 0;
  let fence: string | null = null;
  let cellFence = false;
  let outputSlide = false;
  /** Closing fences of divs read as a slide's section (see sectionDiv). */
  const sectionCloses = new Set<number>();

  const emit = (out: Out, text: string, i: number) => pushLine(out, text, bodyLine + i);
  const target = () => (frames.some((f) => f.kind === 'notes') ? notes : body_);
  const closeSlide = (i: number) => {
    // Pauses and divs left open close with the slide.
    for (let n = 0; n < slidePauses; n++) emit(body_, '\n</div>\n', i);
    slidePauses = 0;
    for (const frame of frames.splice(0).reverse()) {
      for (let n = 0; n < frame.pauses; n++) emit(body_, '\n</div>\n', i);
      if (frame.close) emit(frame.kind === 'notes' ? notes : body_, frame.close, i);
    }
    if (!current) {
      if (body_.lines.every((l) => l.trim() === '') && notes.lines.every((l) => l.trim() === '')) return;
      current = { start: 'start', stack: 'new', line: bodyLine, columns: [], columnBreaks: [] };
    }
    current.columns = [segment(body_)];
    if (notes.lines.some((l) => l.trim() !== '')) current.notes = [segment(notes)];
    // `visibility="hidden"`: Reveal removes the slide, so it is not made at all.
    if (!(current as RawSlide & { hidden?: boolean }).hidden) slides.push(current);
  };
  const open = (start: RawSlide['start'], i: number, extra: Partial<RawSlide>) => {
    closeSlide(i);
    body_ = { lines: [], map: [] };
    notes = { lines: [], map: [] };
    current = { start, line: bodyLine + i, columns: [], columnBreaks: [], ...extra };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const out = target();
    const mark = unclosed.has(i) ? undefined : FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) {
        fence = null;
        cellFence = false;
        if (frames.at(-1)?.kind !== 'drop') emit(out, line, i);
        if (outputSlide) {
          // `output-location: slide`: Quarto puts the cell's output on a slide of its own.
          outputSlide = false;
          open('horizontal', i, { stack: inSection ? 'join' : 'new' });
          emit(body_, '*The output of the code cell before this slide: Lectern runs no code.*', i);
        }
        continue;
      } else if (cellFence && /^#\|/.test(line)) {
        if (/^#\|\s*output-location:\s*slide\b/.test(line)) outputSlide = true;
        continue;
      }
      if (frames.at(-1)?.kind !== 'drop') emit(out, line, i);
      continue;
    }
    if (mark) {
      fence = mark;
      const info = line.slice(line.indexOf(mark) + mark.length).trim();
      let lang = info;
      const braces = /^\{([^}]*)\}$/.exec(info);
      if (braces) {
        const attrs = parseAttributes(braces[1]!);
        const name = attrs?.classes[0] ?? '';
        // ```{python}: a Quarto cell, shown as code; ```{.python}: Pandoc's attribute form.
        if (/^\{\s*[A-Za-z]/.test(info)) {
          cellFence = true;
          warn(
            i,
            `a ${name || 'code'} cell is shown as code: Lectern runs no code cells`,
            'its output is not on the slide; paste the result in, or keep the cell as an example',
          );
        }
        lang = name.replace(/^\./, '');
      }
      if (frames.at(-1)?.kind !== 'drop') emit(out, `${line.slice(0, line.indexOf(mark) + mark.length)}${lang}`, i);
      continue;
    }

    if (sectionCloses.delete(i)) continue;
    const divOpen = DIV_OPEN.exec(line);
    if (divOpen && frames.length === 0) {
      const close = sectionDiv(lines, i, slideLevel, unclosed);
      if (close !== null) {
        // A div that opens with a slide heading is that heading's section: the slide.
        sectionCloses.add(close);
        continue;
      }
    }
    if (divOpen) {
      const spec = divOpen[2]!;
      const attrs: PandocAttributes = spec.startsWith('{')
        ? (parseAttributes(spec.slice(1, -1)) ?? { classes: [], pairs: [] })
        : { classes: [spec], pairs: [] };
      if (divOpen[3]) {
        const more = parseAttributes(divOpen[3].slice(1, -1));
        if (more) {
          attrs.classes.push(...more.classes);
          attrs.pairs.push(...more.pairs);
        }
      }
      if (attrs.classes.includes('notes')) {
        frames.push({ kind: 'notes', pauses: 0, close: '' });
        continue;
      }
      if (attrs.classes.some((c) => c === 'content-hidden' || c === 'hidden')) {
        frames.push({ kind: 'drop', pauses: 0, close: '' });
        continue;
      }
      const callout = attrs.classes.find((c) => /^callout-(note|tip|warning|caution|important)$/.test(c));
      if (callout) attrs.classes.unshift('callout');
      const width = attrs.pairs.find(([k]) => k === 'width');
      const html = elementAttributes({
        ...attrs,
        pairs: attrs.pairs.filter(
          ([k]) => k !== 'width' && k !== 'title' && k !== 'collapse' && k !== 'appearance' && k !== 'icon',
        ),
        ...(width ? {} : {}),
      });
      const style = width
        ? ` style="width:${/^\d+(\.\d+)?$/.test(width[1]) ? `${width[1]}px` : width[1].replace(/["<>;]/g, '')}"`
        : '';
      emit(out, `\n<div${html ? ` ${html}` : ''}${style}>\n`, i);
      if (callout) {
        const title =
          attrs.pairs.find(([k]) => k === 'title')?.[1] ??
          callout.slice('callout-'.length).replace(/^./, (c) => c.toUpperCase());
        emit(
          out,
          `<p class="callout-title"><strong>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</strong></p>\n`,
          i,
        );
      }
      frames.push({ kind: 'div', pauses: 0, close: '\n</div>\n' });
      continue;
    }
    if (DIV_CLOSE.test(line) && frames.length > 0) {
      const frame = frames.pop()!;
      for (let n = 0; n < frame.pauses; n++) emit(body_, '\n</div>\n', i);
      if (frame.close) emit(target(), frame.close, i);
      continue;
    }
    if (frames.at(-1)?.kind === 'drop') continue;

    const table = tableEnd(lines, i);
    if (table !== null) {
      warn(
        i,
        `lines ${bodyLine + i}–${bodyLine + table} are a table to Pandoc: a line of dashes with text right under it opens one`,
        'for a rule (a new slide), put a blank line under the dashes',
      );
      emit(out, tableHtml(lines.slice(i + 1, table)), i);
      i = table;
      continue;
    }
    if (frames.length === 0) {
      const prevBlank = i === 0 || lines[i - 1]!.trim() === '';
      const heading = headingAt(lines, i, blockEnded(lines, i));
      if (heading && heading.depth <= slideLevel && i === mergeAt) {
        // reveal.js shows a stack's own content with its first slide: one slide, as it counts them.
        const text = heading.lines === 1 ? (ATX.exec(line)![2] ?? '').replace(/[ \t]+#+$/, '') : line.trim();
        const attrMatch = HEADING_ATTRS.exec(text);
        emit(
          body_,
          `${'#'.repeat(heading.depth)} ${rewriteInline(attrMatch ? text.slice(0, attrMatch.index) : text)}`,
          i,
        );
        if (heading.lines === 2) i++;
        mergeAt = -1;
        continue;
      }
      if (heading && heading.depth <= slideLevel) {
        const atx = heading.lines === 1;
        let text = atx ? (ATX.exec(line)![2] ?? '').replace(/[ \t]+#+$/, '') : line.trim();
        const attrMatch = HEADING_ATTRS.exec(text);
        const attrs = attrMatch ? parseAttributes(attrMatch[1]!) : null;
        if (attrMatch) text = text.slice(0, attrMatch.index);
        const section = heading.depth < slideLevel;
        const hidden =
          attrs?.pairs.some(([k, v]) => (k === 'visibility' || k === 'data-visibility') && v === 'hidden') ?? false;
        const join = !section && inSection && heading.depth === slideLevel && !stackNext;
        if (section && heading.depth === 1) inSection = slideLevel > 1;
        stackNext = false;
        const child = options.sectionDivs && section && !hidden ? firstChild(lines, i, heading.depth, slideLevel) : -1;
        if (child >= 0 && lines.slice(i + heading.lines, child).every((l) => l.trim() === '')) {
          // The stack's own section holds only its heading: reveal.js shows its slides alone.
          closeSlide(i);
          body_ = { lines: [], map: [] };
          notes = { lines: [], map: [] };
          current = null;
          inSection = true;
          stackNext = true;
          if (!atx) i++;
          continue;
        }
        mergeAt = child;
        open(i === 0 && slides.length === 0 && !current ? 'start' : 'heading', i, {
          headingDepth: heading.depth,
          stack: join || (section && heading.depth > 1 && inSection) ? 'join' : 'new',
          ...(section ? { section: true } : {}),
          ...(hidden ? { hidden: true } : {}),
        });
        if (text.trim() !== '') emit(body_, `${'#'.repeat(heading.depth)} ${rewriteInline(text.trim())}`, i);
        else emit(body_, '', i);
        const directive = attrs ? slideDirective(attrs) : '';
        if (directive) emit(body_, directive, i);
        if (!atx) i++;
        continue;
      }
      if (RULE.test(line) && prevBlank && !options.sectionDivs) {
        // A rule right before a slide heading only separates; any other starts an untitled slide.
        let k = i + 1;
        while (k < lines.length && lines[k]!.trim() === '') k++;
        const next = k < lines.length ? headingAt(lines, k, true) : null;
        if (next?.depth === slideLevel) continue;
        open('horizontal', i, { stack: inSection ? 'join' : 'new' });
        continue;
      }
      if (heading) {
        // A heading below the slide level: content, with its attributes on the element.
        if (heading.lines === 1) {
          const text = (ATX.exec(line)![2] ?? '').replace(/[ \t]+#+$/, '');
          const attrMatch = HEADING_ATTRS.exec(text);
          const attrs = attrMatch ? parseAttributes(attrMatch[1]!) : null;
          emit(
            out,
            `${'#'.repeat(heading.depth)} ${rewriteInline(attrMatch ? text.slice(0, attrMatch.index) : text)}`,
            i,
          );
          const html = attrs ? elementAttributes(attrs) : '';
          if (html) emit(out, `<!-- .element: ${html} -->`, i);
          continue;
        }
      }
    }
    if (PAUSE.test(line)) {
      emit(body_, '\n<div class="fragment">\n', i);
      const frame = frames.filter((f) => f.kind === 'div').at(-1);
      if (frame) frame.pauses++;
      else slidePauses++;
      continue;
    }
    let text = line;
    if (text.includes('{{<')) {
      text = text.replace(SHORTCODE, (_whole, name: string) => {
        warn(i, `the Quarto shortcode "${name}" is dropped: Lectern has no shortcodes`);
        return '';
      });
    }
    emit(out, rewriteInline(text), i);
  }
  closeSlide(lines.length - 1);
  if (options.sectionDivs && slides.length > 1 && slides[0]!.headingDepth === undefined) {
    // What stands before the first heading is in no section: it goes with the first slide.
    const [lead, next] = [slides.shift()!, slides[0]!];
    next.columns[0] = joinSegments(lead.columns[0]!, next.columns[0]!);
    if (lead.notes) next.notes = [...lead.notes, ...(next.notes ?? [])];
    next.start = lead.start;
  }

  if (options.incremental) {
    for (const slide of slides) {
      const column = slide.columns[0]!;
      column.text = `<div class="incremental">\n\n${column.text}\n\n</div>`;
      column.lineMap = [
        column.line,
        column.line,
        ...(column.lineMap ?? []),
        column.lineMap?.at(-1) ?? column.line,
        column.lineMap?.at(-1) ?? column.line,
      ];
    }
  }
  return { slides, warnings };
}

function segment(out: Out): Segment {
  // Emitted pieces may hold newlines: spread them so every line has its file line.
  const lines: string[] = [];
  const map: number[] = [];
  out.lines.forEach((text, k) => {
    for (const piece of text.split('\n')) {
      lines.push(piece);
      map.push(out.map[k]!);
    }
  });
  return { text: lines.join('\n'), line: map[0] ?? 1, lineMap: map };
}

/**
 * Pandoc reads a fenced div whose first block is a heading, with no heading of that level or
 * above later in it, as that heading's section (columns excepted). At or above the slide level it
 * is a slide like any other. Returns the line of the div's closing fence, or null.
 */
function sectionDiv(lines: string[], open: number, slideLevel: number, unclosed: Set<number>): number | null {
  if (/\bcolumns?\b/.test(lines[open]!)) return null;
  let k = open + 1;
  while (k < lines.length && lines[k]!.trim() === '') k++;
  const first = k < lines.length ? headingAt(lines, k, true) : null;
  if (!first || first.depth > slideLevel) return null;
  let depth = 1;
  let fence: string | null = null;
  for (let j = k + first.lines; j < lines.length; j++) {
    const line = lines[j]!;
    const mark = unclosed.has(j) ? undefined : FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) fence = null;
      continue;
    }
    if (mark) fence = mark;
    else if (DIV_OPEN.test(line)) depth++;
    else if (DIV_CLOSE.test(line) && --depth === 0) return j;
    else if (depth === 1 && (headingAt(lines, j, blockEnded(lines, j))?.depth ?? 7) <= first.depth) return null;
  }
  return null;
}

/** A one-column table of the rows between blank lines, as text: what Pandoc makes of the lines. */
function tableHtml(lines: string[]): string {
  const rows: string[] = [];
  let row: string[] = [];
  for (const line of [...lines, '']) {
    if (line.trim() !== '') row.push(line.trim());
    else if (row.length) {
      rows.push(row.join(' '));
      row = [];
    }
  }
  const cell = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `\n<table class="pandoc-table"><tbody>\n${rows.map((r) => `<tr><td>${cell(r)}</td></tr>`).join('\n')}\n</tbody></table>\n`;
}

/** With section divs, the slides are the second heading level the deck uses (the top one if alone). */
function sectionLevel(lines: string[], unclosed: Set<number>): number {
  const depths = new Set<number>();
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const mark = unclosed.has(i) ? undefined : FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) fence = null;
      return;
    }
    if (mark) fence = mark;
    else {
      const heading = headingAt(lines, i, blockEnded(lines, i));
      if (heading) depths.add(heading.depth);
    }
  });
  const [top, second] = [...depths].sort((a, b) => a - b);
  return second ?? top ?? 1;
}

/**
 * The line of a section's first slide: a heading at the slide level before the next heading at
 * the section's level or above; -1 when the section has none.
 */
function firstChild(lines: string[], at: number, depth: number, slideLevel: number): number {
  let fence: string | null = null;
  for (let k = at + 1; k < lines.length; k++) {
    const line = lines[k]!;
    const mark = FENCE.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) fence = null;
      continue;
    }
    if (mark) {
      fence = mark;
      continue;
    }
    const heading = headingAt(lines, k, blockEnded(lines, k));
    if (heading && heading.depth <= depth) return -1;
    if (heading?.depth === slideLevel) return k;
  }
  return -1;
}

function joinSegments(a: Segment, b: Segment): Segment {
  const map = (seg: Segment) => seg.lineMap ?? seg.text.split('\n').map((_, k) => seg.line + k);
  return { text: `${a.text}\n\n${b.text}`, line: a.line, lineMap: [...map(a), a.line, ...map(b)] };
}
