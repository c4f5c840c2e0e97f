import { Marked, type MarkedOptions, type TokenizerExtension, type Tokens } from 'marked';
import { emojiFor } from './emoji.js';

/**
 * The Markdown Lectern reads beyond GFM, as tokens for the model to render: TeX math and
 * footnotes. Each token keeps its raw text, so lines and columns are found like any other's.
 */

/** `$…$`, `\(…\)` (inline) or `$$…$$`, `\[…\]` (display): the TeX between the delimiters. */
export interface MathToken extends Tokens.Generic {
  type: 'math';
  raw: string;
  /** The TeX source. */
  text: string;
  display: boolean;
  /** Characters of `raw` before the TeX starts: a TeX error's column is counted from there. */
  offset: number;
}

/** `:rocket:`: a shortcode that names an emoji. */
export interface EmojiToken extends Tokens.Generic {
  type: 'emoji';
  raw: string;
  name: string;
  unicode: string;
}

/** `[^label]` in text. */
export interface FootnoteRefToken extends Tokens.Generic {
  type: 'footnoteRef';
  raw: string;
  label: string;
}

/** `[^label]: text`, with indented lines after it: the note's own Markdown. */
export interface FootnoteToken extends Tokens.Generic {
  type: 'footnote';
  raw: string;
  label: string;
  tokens: Tokens.Generic[];
}

/**
 * Where the next of a rule's characters may start, looked for in the next 256 characters only:
 * marked asks at every stop in the text, so a search of the whole rest would make long text
 * quadratic. Past the window the text is cut there, which only splits a text run. `pattern`
 * matches one character, so nothing that starts in the window is cut in two.
 */
function startWithin(src: string, pattern: RegExp): number | undefined {
  const window = src.length > 256 ? src.slice(0, 256) : src;
  const at = window.search(pattern);
  if (at !== -1) return at;
  return src.length > 256 ? 256 : undefined;
}

/**
 * Inline math as Pandoc reads it: the opening `$` has no space after it, the closing one no
 * space before it and no digit after it, and a `$` in between ends the try (`$5 and $10` is
 * text). `$$…$$` is display math, also in the middle of a line.
 */
const DISPLAY_DOLLARS = /^\$\$(?!\$)((?:\\[\s\S]|[^\\$]|\$(?!\$))+?)\$\$/;
const INLINE_DOLLARS = /^\$(?![\s$])((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$(?!\d)/;
const PAREN = /^\\\(([\s\S]+?)\\\)/;
const BRACKET = /^\\\[([\s\S]+?)\\\]/;
/** Longer TeX than this is no formula of a slide: its delimiters are looked for this far only. */
export const MAX_TEX = 4000;

/** The text a formula starting here may span: bounded, so a lone `\(` costs no scan to the end. */
function texWindow(src: string): string {
  return src.length > MAX_TEX + 4 ? src.substring(0, MAX_TEX + 4) : src;
}
/** A `$$` block on lines of its own, no blank line inside: nothing in it is read as Markdown. */
const BLOCK_DOLLARS = /^ {0,3}\$\$(?!\$)((?:[^$\n]|\$(?!\$)|\n(?![ \t]*\n))*?)\$\$[ \t]*(?:\n|$)/;

const inlineMath: TokenizerExtension = {
  name: 'math',
  level: 'inline',
  // Every `\` too: an escaped `\$` must reach the escape rule whole.
  start: (src) => startWithin(src, /[$\\]/),
  tokenizer(src) {
    for (const [re, display, open] of [
      [DISPLAY_DOLLARS, true, 2],
      [INLINE_DOLLARS, false, 1],
      [PAREN, false, 2],
      [BRACKET, true, 2],
    ] as const) {
      let text = src;
      if (re === PAREN || re === BRACKET) {
        if (!src.startsWith(re === PAREN ? '\\(' : '\\[')) continue;
        text = texWindow(src);
        if (text.indexOf(re === PAREN ? '\\)' : '\\]', 2) === -1) continue;
      }
      const m = re.exec(text);
      if (m && m[1]!.trim() !== '') return mathToken(m[0], m[1]!, display, open);
    }
    return undefined;
  },
};

// No `start`: as in Pandoc, a `$$` line does not end the paragraph it continues (the inline rule
// sets it there); after a blank line it opens a block of its own.
const blockMath: TokenizerExtension = {
  name: 'math',
  level: 'block',
  tokenizer(src) {
    const m = BLOCK_DOLLARS.exec(src);
    if (!m || m[1]!.trim() === '') return undefined;
    return mathToken(m[0], m[1]!, true, m[0].indexOf('$$') + 2);
  },
};

function mathToken(raw: string, text: string, display: boolean, offset: number): MathToken {
  return { type: 'math', raw, text, display, offset };
}

const SHORTCODE = /^:([a-z0-9_+-]{1,60}):/;

/** A shortcode no emoji has (`:30:` of a time, `:foo:`) stays text. */
const emoji: TokenizerExtension = {
  name: 'emoji',
  level: 'inline',
  start: (src) => startWithin(src, /:/),
  tokenizer(src) {
    const m = SHORTCODE.exec(src);
    const unicode = m ? emojiFor(m[1]!) : undefined;
    if (!m || !unicode) return undefined;
    const token: EmojiToken = { type: 'emoji', raw: m[0], name: m[1]!, unicode };
    return token;
  },
};

// Labels are short: a bounded label keeps a run of `[^` from being scanned to its end each time.
const FOOTNOTE_LABEL = /^\[\^([^\]\s]{1,100})\]/;

const footnoteRef: TokenizerExtension = {
  name: 'footnoteRef',
  level: 'inline',
  start: (src) => startWithin(src, /\[/),
  tokenizer(src) {
    const m = FOOTNOTE_LABEL.exec(src);
    // `[^1]: …` at the start of a line is a definition, read by the block rule.
    if (!m) return undefined;
    const token: FootnoteRefToken = { type: 'footnoteRef', raw: m[0], label: m[1]! };
    return token;
  },
};

/** `[^label]: text`, and the lines after it that are indented or continue its paragraph. */
const FOOTNOTE_DEF =
  /^ {0,3}\[\^([^\]\s]{1,100})\]:[ \t]*([^\n]*(?:\n(?:[ \t]+[^\n]*|(?![ \t]*\n)(?! {0,3}\[\^[^\]\s]{1,100}\]:)[^\n]+))*)(?:\n|$)/;

// No `start`, as for a link definition: a footnote does not end the paragraph above it without a
// blank line (a search for it from every paragraph would also make long decks quadratic).
const footnoteDef: TokenizerExtension = {
  name: 'footnote',
  level: 'block',
  tokenizer(src) {
    const m = FOOTNOTE_DEF.exec(src);
    if (!m) return undefined;
    const body = m[2]!
      .split('\n')
      .map((line, i) => (i === 0 ? line : line.replace(/^(?: {1,4}|\t)/, '')))
      .join('\n');
    const token: FootnoteToken = { type: 'footnote', raw: m[0], label: m[1]!, tokens: [] };
    this.lexer.blockTokens(body, token.tokens);
    return token;
  },
};

/**
 * Masks the TeX of inline math for emphasis: `*` and `_` inside `$…$` open or close nothing.
 * Same length, so marked's offsets stay right.
 */
function maskMath(src: string): string {
  const masked = src.replace(/\\\$|\$\$[\s\S]+?\$\$|\$(?![\s$])(?:\\[\s\S]|[^\\$])+?(?<!\s)\$(?!\d)/g, (m) =>
    m.startsWith('\\$') ? m : `${m[0]}${'a'.repeat(m.length - 2)}${m.at(-1)}`,
  );
  if (!masked.includes('\\(') && !masked.includes('\\[')) return masked;
  // `\(…\)` and `\[…\]`, left to right, each closed within MAX_TEX or not math.
  let out = '';
  let i = 0;
  while (i < masked.length) {
    const open = masked.slice(i).search(/\\[([]/);
    if (open === -1) break;
    const at = i + open;
    const close = masked[at + 1] === '(' ? '\\)' : '\\]';
    const end = texWindow(masked.slice(at)).indexOf(close, 2);
    if (end === -1) {
      out += masked.slice(i, at + 2);
      i = at + 2;
      continue;
    }
    out += `${masked.slice(i, at + 2)}${'a'.repeat(end - 2)}${close}`;
    i = at + end + 2;
  }
  return out + masked.slice(i);
}

const extensions = [blockMath, footnoteDef, inlineMath, footnoteRef, emoji];

/** The options every Lexer and Parser of Lectern's Markdown runs with. */
export const markdownOptions: MarkedOptions = new Marked({ gfm: true, extensions }).defaults;

/**
 * The same, with math masked for emphasis: only for text that may hold math, since with the
 * hook marked masks every run of inline text, emphasis or not.
 */
const withMathMask: MarkedOptions = new Marked({
  gfm: true,
  extensions,
  hooks: { emStrongMask: maskMath } as never,
}).defaults;

/** The options to lex `text` with. */
export function markdownOptionsFor(text: string): MarkedOptions {
  return text.includes('$') || text.includes('\\(') || text.includes('\\[') ? withMathMask : markdownOptions;
}
