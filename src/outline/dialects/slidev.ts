import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../errors.js';
import type { RawSlide, Segment } from '../split.js';
import type { DialectKeys } from './foreign-keys.js';
import { slidevLayout, slidevSlideAttributes, slidevTransition } from './slidev-layouts.js';

/**
 * Slidev's Markdown, read by Slidev's rules: a line starting with `---` ends a slide; one
 * followed at once by a non-blank line opens the next slide's front matter (closed by the next
 * `---` line), as a ```` ```yaml ```` block at a slide's start does too; closed backtick fences
 * and multi-line HTML comments are never split; the slide's last HTML comment, when it ends
 * the slide, is its notes; `src:` brings in the slides of another file; `hide`/`disabled`
 * leave a slide out. Layouts, click steps and slots become Lectern's. Pure: files are read
 * through `load`.
 */

/** Another Markdown file of the deck, as `src:` names it: its text, or why there is none. */
export type LoadImport = (path: string, fromFile: string) => { text: string; file: string } | { missing: string };

interface SlidevSource {
  /** Front matter as written, and the file line its first key is on. */
  frontMatter?: { text: string; line: number };
  /** The content lines and the file line of the first. */
  lines: string[];
  firstLine: number;
  /** The file line of the slide's start (its separator's next line, or its front matter). */
  line: number;
}

/** Splits one file's text into Slidev's slides (before imports and hiding). */
export function slidevSlides(text: string, firstLine: number, keepFirst: boolean): SlidevSource[] {
  const lines = text.split('\n');
  const out: SlidevSource[] = [];
  let start = 0;
  let contentStart = 0;
  let front: { from: number; to: number } | null = null;
  let inComment = false;
  const emit = (end: number) => {
    if (start === end && !(keepFirst && out.length === 0 && start === 0)) return;
    out.push(sliceSlide(lines, firstLine, start, contentStart, end, front));
    start = end + 1;
    contentStart = end + 1;
    front = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const t = raw.trimEnd();
    if (inComment) {
      inComment = commentOpenAfter(raw, true);
      continue;
    }
    if (t.startsWith('---')) {
      emit(i);
      if (t[3] !== '-' && i + 1 < lines.length && lines[i + 1]!.trim() !== '') {
        let j = i + 1;
        while (j < lines.length && lines[j]!.trimEnd() !== '---') j++;
        if (j < lines.length && isMapping(lines.slice(i + 1, j).join('\n'))) {
          start = i;
          front = { from: i + 1, to: j };
          contentStart = j + 1;
          i = j;
        }
        // A block that is no map of keys (`---` then `# Title`) is the slide's content: what its
        // author meant, where Slidev would read the heading as a YAML comment.
      }
      continue;
    }
    const fence = /^(\s*`{3,})/.exec(raw);
    if (fence) {
      const close = lines.findIndex((l, k) => k > i && l.startsWith(fence[1]!));
      if (close !== -1) i = close;
      continue;
    }
    inComment = commentOpenAfter(raw, false);
  }
  if (start <= lines.length - 1 || (keepFirst && out.length === 0)) emit(lines.length);
  return out;
}

function sliceSlide(
  lines: string[],
  firstLine: number,
  start: number,
  contentStart: number,
  end: number,
  front: { from: number; to: number } | null,
): SlidevSource {
  let content = lines.slice(contentStart, end);
  let contentFirst = contentStart;
  let frontMatter = front
    ? { text: lines.slice(front.from, front.to).join('\n'), line: firstLine + front.from }
    : undefined;
  if (!frontMatter) {
    // The block form: a ```yaml fence at the very start of the slide.
    const at = content.findIndex((l) => l.trim() !== '');
    if (at !== -1 && /^\s*```ya?ml\b/.test(content[at]!)) {
      const close = content.findIndex((l, k) => k > at && /^\s*```\s*$/.test(l));
      if (close !== -1) {
        frontMatter = { text: content.slice(at + 1, close).join('\n'), line: firstLine + contentFirst + at + 1 };
        content = content.slice(close + 1);
        contentFirst += close + 1;
      }
    }
  }
  // A slide of nothing but Slidev's slide keys, padded with blank lines (`---`, blank, `layout:
  // center`, blank, `---`): its author's front matter, though Slidev would show it as text.
  const written = content.filter((l) => l.trim() !== '');
  if (!frontMatter && written.length > 0 && written.every((l) => SLIDE_KEY_LINE.test(l))) {
    const at = content.findIndex((l) => l.trim() !== '');
    frontMatter = { text: written.join('\n'), line: firstLine + contentFirst + at };
    content = [];
  }
  return {
    ...(frontMatter ? { frontMatter } : {}),
    lines: content,
    firstLine: firstLine + contentFirst,
    line: firstLine + start,
  };
}

/** Whether an HTML comment is still open at the end of a line (Slidev's own tracking). */
function commentOpenAfter(line: string, open: boolean): boolean {
  let at = 0;
  let inside = open;
  for (;;) {
    const next = line.indexOf(inside ? '-->' : '<!--', at);
    if (next === -1) return inside;
    at = next + (inside ? 3 : 4);
    inside = !inside;
  }
}

function isMapping(text: string): boolean {
  try {
    const data = parseYaml(text, { schema: 'core' });
    return data !== null && typeof data === 'object' && !Array.isArray(data);
  } catch {
    return false;
  }
}

interface SplitContext {
  file: string;
  load?: LoadImport;
  warnings: Finding[];
  /** Keys dropped already: each said once a deck. */
  ignored: Set<string>;
}

/** The slides of a Slidev deck, imports brought in and hidden slides left out. */
export function splitSlidev(
  body: string,
  bodyLine: number,
  headmatter: DialectKeys,
  hasHeadmatter: boolean,
  file: string,
  load?: LoadImport,
): { slides: RawSlide[]; warnings: Finding[] } {
  const ctx: SplitContext = { file, ...(load ? { load } : {}), warnings: [], ignored: new Set() };
  const sources = slidevSlides(body, bodyLine, hasHeadmatter);
  const slides: RawSlide[] = [];
  sources.forEach((source, index) => {
    // The headmatter is the first slide's front matter too.
    const own = index === 0 && hasHeadmatter ? { data: headmatter, line: 1 } : readFront(source, ctx, file);
    expand(source, own, {}, file, [file], slides, ctx);
  });
  return { slides, warnings: ctx.warnings };
}

function readFront(source: SlidevSource, ctx: SplitContext, file: string): { data: DialectKeys; line: number } {
  if (!source.frontMatter) return { data: {}, line: source.line };
  try {
    const data = parseYaml(source.frontMatter.text, { schema: 'core' });
    if (data !== null && typeof data === 'object' && !Array.isArray(data))
      return { data: data as DialectKeys, line: source.frontMatter.line };
  } catch (err) {
    ctx.warnings.push({
      code: 'OPTION_IGNORED',
      message: `this slide's front matter is not valid YAML and is ignored (${(err as Error).message.split('\n')[0]})`,
      pos: { file, line: source.frontMatter.line, column: 1 },
    });
  }
  return { data: {}, line: source.frontMatter.line };
}

/** One slide, or the slides its `src:` brings in, onto `out`. */
function expand(
  source: SlidevSource,
  own: { data: DialectKeys; line: number },
  override: DialectKeys,
  file: string,
  chain: string[],
  out: RawSlide[],
  ctx: SplitContext,
): void {
  const fm = own.data;
  if (truthy(fm.hide) || truthy(fm.disabled)) return;
  if (typeof fm.src === 'string' && fm.src.trim() !== '') {
    const [path = '', range] = fm.src.trim().split('#');
    const at = { file, line: own.line, column: 1 };
    const loaded = ctx.load ? ctx.load(path, file) : { missing: 'no files can be read here' };
    if ('missing' in loaded) {
      ctx.warnings.push({
        code: 'ASSET_MISSING',
        message: `imported slides "${fm.src}" not found (${loaded.missing}); they are left out`,
        pos: at,
        hint: 'the path is relative to the file that imports it; a path starting with / is the project folder',
      });
      return;
    }
    if (chain.includes(loaded.file)) {
      ctx.warnings.push({
        code: 'ASSET_MISSING',
        message: `"${fm.src}" imports itself (${[...chain, loaded.file].join(' → ')}); left out`,
        pos: at,
      });
      return;
    }
    if (chain.length > MAX_DEPTH || out.length >= MAX_SLIDES) {
      ctx.warnings.push({
        code: 'ASSET_MISSING',
        message: `"${fm.src}" is left out: imports may nest ${MAX_DEPTH} deep and a deck may have ${MAX_SLIDES} slides`,
        pos: at,
      });
      return;
    }
    const { src: _src, ...rest } = fm;
    const merged = { ...rest, ...override };
    const parts = slidevSlides(loaded.text, 1, false);
    for (const n of pickRange(parts.length, range)) {
      const part = parts[n - 1]!;
      expand(part, readFront(part, ctx, loaded.file), merged, loaded.file, [...chain, loaded.file], out, ctx);
    }
    return;
  }
  if (out.length >= MAX_SLIDES) return;
  out.push(toRawSlide(source, { ...fm, ...override }, own.line, file, out.length, ctx));
}

/** Bounded work for a deck from someone else: how deep imports nest, how many slides they make. */
const MAX_DEPTH = 20;
const MAX_SLIDES = 5000;

function truthy(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false && value !== 0 && value !== '';
}

/** Slidev's ranges (`2,5-7`, `3-`, `all`): 1-based, sorted, without repeats. */
export function pickRange(total: number, range: string | undefined): number[] {
  const all = Array.from({ length: total }, (_, i) => i + 1);
  if (range === undefined || range.trim() === '' || /^(all|\*)$/.test(range.trim())) return all;
  if (range.trim() === 'none') return [];
  const picked = new Set<number>();
  for (const part of range.split(/[,;]/)) {
    const m = /^\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?$/.exec(part);
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] ? (m[3] ? Number(m[3]) : total) : from;
    for (let n = Math.max(1, from); n <= Math.min(to, total); n++) picked.add(n);
  }
  return [...picked].sort((a, b) => a - b);
}

const SLIDE_KEY_LINE =
  /^(layout|class|background|image|transition|hide|disabled|clicks|level|hideInToc|routeAlias|zoom|preload|backgroundSize):[ \t]*\S.*$/;

const SLOT = /^::\s*([\w.\-:]+)\s*::\s*$/;

function toRawSlide(
  source: SlidevSource,
  fm: DialectKeys,
  fmLine: number,
  file: string,
  index: number,
  ctx: SplitContext,
): RawSlide {
  let lines = [...source.lines];
  const map = lines.map((_, i) => source.firstLine + i);
  // Trim as Slidev trims the content, keeping the map in step.
  while (lines.length && lines[lines.length - 1]!.trim() === '') {
    lines.pop();
    map.pop();
  }
  // Notes: the last comment, when it ends the slide.
  let notes: Segment | undefined;
  const joined = lines.join('\n');
  const last = joined.lastIndexOf('<!--');
  if (last !== -1 && joined.trimEnd().endsWith('-->') && !joined.slice(last + 4, -3).includes('-->')) {
    const before = joined.slice(0, last).split('\n').length - 1;
    const inner = joined.slice(last + 4, joined.trimEnd().length - 3);
    notes = {
      text: inner.replace(/\[click(?::\d+)?\]/gi, '').trim(),
      line: map[before] ?? source.firstLine,
    };
    lines = joined.slice(0, last).split('\n');
    map.length = lines.length;
  }

  const layout = slidevLayout(fm.layout, index, { file, line: fmLine, column: 1 }, ctx.warnings);
  const columns: { lines: string[]; map: number[] }[] = [{ lines: [], map: [] }];
  const breaks: number[] = [];
  let clicks = 0;
  let fence = false;
  for (const [i, line] of lines.entries()) {
    const at = map[i] ?? source.firstLine;
    if (/^\s*(`{3,}|~{3,})/.test(line)) fence = !fence;
    const column = columns[columns.length - 1]!;
    if (!fence) {
      const slot = SLOT.exec(line);
      if (slot) {
        if (layout.columns && slot[1] === 'right' && columns.length === 1) {
          columns.push({ lines: [], map: [] });
          breaks.push(at);
        }
        column.lines.push('');
        column.map.push(at);
        continue;
      }
      const step = clickLine(line, clicks);
      clicks = step.depth;
      for (const piece of step.lines) {
        column.lines.push(piece);
        column.map.push(at);
      }
      continue;
    }
    column.lines.push(line);
    column.map.push(at);
  }
  const attrs = slidevSlideAttributes(fm, layout, { file, line: fmLine, column: 1 }, ctx.warnings, ctx.ignored);
  const transition = slidevTransition(fm.transition);
  if (transition) attrs.push(`data-transition="${transition}"`);
  const extra: string[] = [];
  if (typeof fm.url === 'string' && /^iframe/.test(String(fm.layout ?? ''))) extra.push('', `<${fm.url}>`);
  const segments: Segment[] = columns.map((c, k) => {
    const head = k === 0 && attrs.length ? [`<!-- .slide: ${attrs.join(' ')} -->`] : [];
    const text = [...head, ...c.lines, ...(k === columns.length - 1 ? extra : [])];
    const lineMap = [
      ...(head.length ? [fmLine] : []),
      ...c.map,
      ...(k === columns.length - 1 ? extra.map(() => fmLine) : []),
    ];
    return {
      text: text.join('\n'),
      line: lineMap[0] ?? source.line,
      lineMap: lineMap.length ? lineMap : [source.line],
    };
  });
  const heading = lines.find((l) => /^#{1,6}\s/.test(l));
  return {
    start: index === 0 ? 'start' : 'horizontal',
    stack: 'new',
    line: source.line,
    ...(file !== ctx.file ? { file } : {}),
    columns: segments,
    columnBreaks: breaks,
    ...(heading ? { headingDepth: /^#+/.exec(heading)![0].length } : {}),
    ...(layout.name ? { layout: { name: layout.name, line: fmLine, column: 1, mapped: true } } : {}),
    ...(notes && notes.text !== '' ? { notes: [notes] } : {}),
  };
}

/**
 * Slidev's click steps as Lectern's fragments: `<v-click>` blocks and spans, `v-click`
 * attributes, and the items of lists inside `<v-clicks>`.
 */
function clickLine(line: string, depth: number): { lines: string[]; depth: number } {
  let text = line;
  let d = depth;
  const open = /^\s*<v-clicks\b[^>]*>\s*$/.test(text);
  const close = /^\s*<\/v-clicks>\s*$/.test(text);
  if (open || close) return { lines: [''], depth: Math.max(0, d + (open ? 1 : -1)) };
  if (d > 0) text = text.replace(/^(\s*)[-*](\s+)(?!\[[ x]\])/, '$1+$2');
  // A block of its own: a div the fragment, blank lines so its Markdown is read.
  if (/^\s*<v-(click|after)\b[^>]*>\s*$/.test(text)) return { lines: ['<div class="fragment">', ''], depth: d };
  if (/^\s*<\/v-(click|after)>\s*$/.test(text)) return { lines: ['', '</div>'], depth: d };
  text = text
    .replace(/<v-(click|after)\b[^>]*>/g, '<span class="fragment">')
    .replace(/<\/v-(click|after)>/g, '</span>')
    .replace(/<v-clicks\b[^>]*>|<\/v-clicks>/g, '')
    // `v-click` on an element of the author's own: a fragment too.
    .replace(
      /(<[a-zA-Z][\w-]*)([^<>]*?)\s+v-(?:click|after)(?:\.[\w.]+)?(?:=(?:"[^"]*"|'[^']*'))?(?=[\s/>])/g,
      (_m, tag: string, attrs: string) =>
        /\bclass="/.test(attrs)
          ? `${tag}${attrs.replace(/\bclass="/, 'class="fragment ')}`
          : `${tag} class="fragment"${attrs}`,
    );
  d = Math.max(0, d);
  return { lines: [text], depth: d };
}
