import { parse as parseYaml } from 'yaml';
import type { Finding } from '../../errors.js';
import type { RawSlide, Segment } from '../split.js';
import type { DialectKeys } from './foreign-keys.js';
import { FENCE, fenceWarning, type MappedLines, pushLine, quote, unclosedFenceLines } from './lines.js';

/**
 * Marp (Marpit): slides split at horizontal rules (`---`, `***`, `___`; a `---` under a line
 * of text is a heading, as in any Markdown) and, with `headingDivider`, before headings.
 * HTML comments that are not directives are the presenter notes. Directives — in front matter
 * or comments, `_`-prefixed for one slide only — set classes, colours, backgrounds, header,
 * footer and page numbers; `![bg]` images become slide backgrounds. Pure.
 */

const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const RAW_BLOCK = /^ {0,3}<(style|script|pre|textarea)(?=[\s>]|$)/i;
/** Directives that hold from their slide on (and, `_`-prefixed, on one slide). */
const localDirectives = new Set([
  'paginate',
  'header',
  'footer',
  'class',
  'backgroundColor',
  'backgroundImage',
  'backgroundPosition',
  'backgroundRepeat',
  'backgroundSize',
  'color',
  'transition',
]);
/** Directives for the whole deck, also allowed in comments. */
const globalDirectives = new Set([
  'theme',
  'style',
  'headingDivider',
  'size',
  'math',
  'title',
  'author',
  'description',
  'keywords',
  'url',
  'image',
  'marp',
  'lang',
]);

type Directives = Record<string, unknown>;

/** A comment read as Marp reads it: directives when every key is one, else a note. */
function readComment(inner: string): Directives | null {
  const text = inner.trim();
  if (text === '') return {};
  if (/^(fit|\.slide:|\.element:|layout:|column$|check-ignore:)/i.test(text)) return {};
  let data: unknown;
  try {
    data = parseYaml(looseYaml(text), { schema: 'core' });
  } catch {
    return null;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const keys = Object.keys(data);
  if (keys.length === 0 || !keys.every((k) => localDirectives.has(k.replace(/^_/, '')) || globalDirectives.has(k)))
    return null;
  return data as Directives;
}

/** Marp reads `backgroundColor: #123` as the colour, where YAML would see a comment. */
export function looseYaml(text: string, keys = '[A-Za-z]+'): string {
  const line = new RegExp(`^(\\s*_?${keys}[ \\t]*:[ \\t]*)(#[^\\n]*)$`, 'gm');
  return text.replace(line, (_m, key: string, value: string) => `${key}${JSON.stringify(value.trim())}`);
}

function cssUrl(value: string): string {
  const m = /^\s*url\(\s*(['"]?)(.*?)\1\s*\)\s*$/.exec(value);
  return m ? m[2]! : value.trim();
}

const IMAGE = /!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

interface Building extends MappedLines {
  notes: { text: string; line: number }[];
  spot: Directives;
  backgrounds: { url: string; words: string[] }[];
  line: number;
  /** Any content since the slide began (headingDivider does not make empty slides). */
  content: boolean;
}

export function splitMarp(
  body: string,
  bodyLine: number,
  frontMatter: DialectKeys,
  file: string,
): { slides: RawSlide[]; warnings: Finding[] } {
  const lines = body.split('\n');
  const warnings: Finding[] = [];
  const global: Directives = { headingDivider: frontMatter.headingDivider };
  const local: Directives = {};
  for (const [key, value] of Object.entries(frontMatter)) {
    if (key.startsWith('_')) continue;
    if (localDirectives.has(key)) local[key] = value;
  }
  const firstSpot: Directives = Object.fromEntries(
    Object.entries(frontMatter)
      .filter(([k]) => k.startsWith('_'))
      .map(([k, v]) => [k.slice(1), v]),
  );
  const built: { b: Building; directives: Directives }[] = [];
  let b: Building = fresh(bodyLine, firstSpot);
  let fence: string | null = null;
  let unclosedFence = false;
  // A fence never closed ends at the next slide break, as its author meant.
  const unclosed = unclosedFenceLines(lines);
  for (const i of unclosed) {
    warnings.push(fenceWarning(file, bodyLine + i, 'it ends at the next slide break after a blank line'));
  }

  // For each line, the first line from there on that closes a comment: one pass from the end.
  const nextClose: number[] = new Array(lines.length + 1).fill(-1);
  for (let k = lines.length - 1; k >= 0; k--) nextClose[k] = lines[k]!.includes('-->') ? k : nextClose[k + 1]!;

  function fresh(line: number, spot: Directives = {}): Building {
    return { lines: [], map: [], notes: [], spot, backgrounds: [], line, content: false };
  }
  const finish = () => built.push({ b, directives: { ...local } });
  const dividesAt = (depth: number): boolean => {
    const divider = global.headingDivider;
    if (typeof divider === 'number') return depth <= divider;
    if (Array.isArray(divider)) return divider.includes(depth);
    return false;
  };

  // Lines that close a code block: a `---` right after one is a slide break, not an underline.
  const closesFence: boolean[] = new Array(lines.length).fill(false);
  let containers = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const mark = FENCE.exec(line)?.[1];
    // A fence never closed ends where its author meant: at a rule after a blank line.
    if (fence !== null && unclosedFence && RULE.test(line) && (i === 0 || lines[i - 1]!.trim() === '')) fence = null;
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length && line.trim() === mark) {
        fence = null;
        closesFence[i] = true;
      }
      pushLine(b, line, bodyLine + i);
      continue;
    }
    if (mark) {
      fence = mark;
      unclosedFence = unclosed.has(i);
      b.content = true;
      pushLine(b, line, bodyLine + i);
      continue;
    }
    // A <style>, <script>, <pre> or <textarea> block runs to its closing tag, blank lines and
    // `---` lines included (markdown-it's first kind of HTML block); it shows nothing.
    const raw = RAW_BLOCK.exec(line);
    if (raw) {
      const closing = new RegExp(`</${raw[1]!}>`, 'i');
      let end = i;
      while (end < lines.length - 1 && !closing.test(lines[end]!)) end++;
      if (closing.test(lines[end]!)) {
        for (let k = i; k <= end; k++) pushLine(b, lines[k]!, bodyLine + k);
        if (!/^(style|script)$/i.test(raw[1]!)) b.content = true;
        i = end;
        continue;
      }
    }
    const prev = i === 0 ? '' : lines[i - 1]!;
    // A `---` underlines only an open paragraph line, as markdown-it reads it: not the close of
    // a code block or a comment, a list item, a table row, a heading or a quote.
    const prevText =
      prev.trim() !== '' &&
      !RULE.test(prev) &&
      !/^ {0,3}(#|>|<!--|[-*+][ \t]|\d{1,9}[.)][ \t]|\|)/.test(prev) &&
      !/-->\s*$/.test(prev) &&
      !(i > 0 && closesFence[i - 1]);
    if (RULE.test(line) && !(line.trim()[0] === '-' && prevText)) {
      finish();
      b = fresh(bodyLine + i + 1);
      continue;
    }
    const heading = /^ {0,3}(#{1,6})(?=[ \t]|$)/.exec(line);
    // Marp divides before such a heading anywhere but at the very start (a `---` right before
    // it leaves an empty slide, as Marp does).
    if (heading && dividesAt(heading[1]!.length) && (b.content || built.length > 0)) {
      finish();
      b = fresh(bodyLine + i);
    }
    // Comments: directives, or presenter notes.
    const comment = /^\s*<!--([\s\S]*?)-->\s*$/.exec(line);
    let multi: { inner: string; end: number } | null = null;
    if (!comment && /^\s*<!--/.test(line) && !line.includes('-->')) {
      const end = nextClose[i + 1] ?? -1;
      if (end !== -1 && /^\s*-->\s*$|-->\s*$/.test(lines[end]!))
        multi = {
          inner: lines
            .slice(i, end + 1)
            .join('\n')
            .replace(/^\s*<!--/, '')
            .replace(/-->\s*$/, ''),
          end,
        };
    }
    if (comment || multi) {
      const inner = comment ? comment[1]! : multi!.inner;
      const directives = readComment(inner);
      if (directives === null) {
        b.notes.push({ text: inner.trim(), line: bodyLine + i });
      } else {
        for (const [key, value] of Object.entries(directives)) {
          if (key.startsWith('_')) b.spot[key.slice(1)] = value;
          else if (globalDirectives.has(key)) global[key] = value;
          else local[key] = value;
        }
        // Lectern's own directive comments stay in the text for the later stages.
        if (/^\s*(\.slide:|\.element:|layout:|column\s*$|check-ignore:)/i.test(inner)) pushLine(b, line, bodyLine + i);
      }
      if (multi) {
        for (let k = i; k < multi.end; k++) pushLine(b, '', bodyLine + k);
        i = multi.end;
      }
      pushLine(b, '', bodyLine + i);
      continue;
    }
    // Link definitions show nothing: a heading after them still opens the deck's first slide.
    const definition =
      /^ {0,3}\[[^\]]+\]:/.test(line) || (/^\s+\S+\s*$/.test(line) && /^ {0,3}\[[^\]]+\]:\s*$/.test(prev));
    if (line.trim() !== '' && !definition) b.content = true;
    // `::: name` … `:::`: the containers of markdown-it-container, the plugin Marp users add
    // most, as a div of that class (its other words shown inside it).
    const container = /^ {0,3}:{3,}\s*([A-Za-z][\w-]*)\s*(.*)$/.exec(line);
    if (container) {
      containers++;
      pushLine(b, `<div class="${container[1]}">`, bodyLine + i);
      pushLine(b, '', bodyLine + i);
      if (container[2]!.trim()) pushLine(b, container[2]!.trim(), bodyLine + i);
      continue;
    }
    if (containers > 0 && /^ {0,3}:{3,}\s*$/.test(line)) {
      containers--;
      pushLine(b, '', bodyLine + i);
      pushLine(b, '</div>', bodyLine + i);
      continue;
    }
    pushLine(b, rewriteLine(line, b, file, bodyLine + i, warnings), bodyLine + i);
  }
  finish();

  const slides = built.map(({ b: slide, directives }, index): RawSlide => {
    const d: Directives = { ...directives, ...slide.spot };
    const attrs: string[] = [];
    let splitClass = '';
    if (typeof d.backgroundColor === 'string') attrs.push(`data-background-color=${quote(d.backgroundColor)}`);
    if (typeof d.backgroundImage === 'string') attrs.push(`data-background-image=${quote(cssUrl(d.backgroundImage))}`);
    if (typeof d.backgroundSize === 'string') attrs.push(`data-background-size=${quote(d.backgroundSize)}`);
    if (typeof d.backgroundPosition === 'string') attrs.push(`data-background-position=${quote(d.backgroundPosition)}`);
    if (typeof d.backgroundRepeat === 'string') attrs.push(`data-background-repeat=${quote(d.backgroundRepeat)}`);
    const styles: string[] = [];
    if (typeof d.color === 'string') styles.push(`color:${d.color}`);
    const bg = slide.backgrounds[0];
    if (bg) {
      const side = bg.words.find((w) => /^(left|right)(:\d+(\.\d+)?%)?$/.test(w));
      const size = bg.words.find((w) => /^(contain|cover|fit|auto|\d+(\.\d+)?%)$/.test(w));
      attrs.push(`data-background-image=${quote(bg.url)}`);
      if (side) {
        const [where, pct = '50%'] = side.split(':') as [string, string?];
        // The picture fills its share of the slide and the text the rest, in steps of 5 % (the
        // template's CSS sizes both by these classes; Reveal gives the background the slide's classes).
        const share = Math.min(95, Math.max(5, Math.round(parseFloat(pct) / 5) * 5));
        attrs.push('data-background-size="cover"');
        splitClass = `lectern-split-${where} lectern-split-${share}`;
      } else if (size) {
        attrs.push(`data-background-size=${quote(size === 'fit' ? 'contain' : size)}`);
      } else {
        attrs.push('data-background-size="cover"');
      }
    }
    if (styles.length) attrs.push(`style=${quote(styles.join(';'))}`);
    const classes = [typeof d.class === 'string' ? d.class.trim() : '', splitClass].filter(Boolean).join(' ');
    if (classes) attrs.unshift(`class=${quote(classes)}`);
    const text = [...(attrs.length ? [`<!-- .slide: ${attrs.join(' ')} -->`] : []), ...slide.lines];
    const map = [...(attrs.length ? [slide.line] : []), ...slide.map];
    const column: Segment = {
      text: text.join('\n'),
      line: map[0] ?? slide.line,
      lineMap: map.length ? map : [slide.line],
    };
    const chrome = {
      ...(typeof d.header === 'string' && d.header ? { header: d.header } : {}),
      ...(typeof d.footer === 'string' && d.footer ? { footer: d.footer } : {}),
      ...(d.paginate === true ? { paginate: true } : {}),
    };
    const heading = slide.lines.find((l) => l.trim() !== '' && !/^\s*<!--/.test(l));
    return {
      start: index === 0 ? 'start' : 'horizontal',
      stack: 'new',
      line: slide.line,
      columns: [column],
      columnBreaks: [],
      ...(heading && /^ {0,3}#{1,6}(\s|$)/.test(heading) ? { headingDepth: /#+/.exec(heading)![0].length } : {}),
      ...(slide.notes.length ? { notes: slide.notes.map((n) => ({ text: n.text, line: n.line })) } : {}),
      ...(Object.keys(chrome).length ? { chrome } : {}),
    };
  });
  return { slides, warnings };
}

/** Marp's image keywords (`bg`, `w:200px`…) and `*` fragment lists, rewritten for Lectern. */
function rewriteLine(line: string, b: Building, file: string, lineNo: number, warnings: Finding[]): string {
  // Marp reveals `*` list items one by one, as Lectern does `+` items.
  let text = line.replace(/^(\s*)\*(\s+)(?!\[ \])/, '$1+$2');
  if (!text.includes('![')) return text;
  text = text.replace(IMAGE, (whole, alt: string, url: string) => {
    const words = alt.split(/\s+/).filter(Boolean);
    if (words.includes('bg')) {
      b.backgrounds.push({ url, words });
      if (b.backgrounds.length === 2) {
        warnings.push({
          code: 'SYNTAX_UNSUPPORTED',
          message: 'a second `![bg]` image on one slide is dropped: a slide has one background here',
          pos: { file, line: lineNo, column: 1 },
        });
      }
      return '';
    }
    const styles: string[] = [];
    const rest: string[] = [];
    for (const word of words) {
      const size = /^(w|width|h|height):(\d+(?:\.\d+)?)(px|em|rem|%|vw|vh)?$/.exec(word);
      if (size) styles.push(`${size[1]![0] === 'w' ? 'width' : 'height'}:${size[2]}${size[3] ?? 'px'}`);
      else if (
        /^(blur|brightness|contrast|drop-shadow|grayscale|hue-rotate|invert|opacity|saturate|sepia)(:|$)/.test(word)
      )
        continue;
      else rest.push(word);
    }
    const image = `![${rest.join(' ')}](${url})`;
    return styles.length
      ? `${image}<!-- .element: style=${quote(styles.join(';'))} -->`
      : whole === image
        ? whole
        : image;
  });
  return text;
}
