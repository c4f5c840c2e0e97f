import { Parser as HtmlParser, parseDocument } from 'htmlparser2';
import { Parser, Renderer, type MarkedOptions, type Token, type Tokens } from 'marked';
import { DeckError, type Finding } from '../errors.js';
import type { EmojiToken, FootnoteRefToken, FootnoteToken, MathToken } from '../outline/extensions.js';
import { walkTokens, type LinedToken } from '../outline/lex.js';
import {
  highlightCode,
  keptSteps,
  linesOutOfRange,
  MAX_STEPS,
  parseCodeSteps,
  renderCodeSteps,
  splitHighlightedLines,
} from './code-steps.js';
import { mathClasses, renderMath } from './math.js';
import { piecePlace } from './pieces.js';
import { cleanSvg } from './svg.js';

/** A fenced ```` ```mermaid ```` block: a diagram, drawn at build time. */
export function isDiagram(lang: string | undefined): boolean {
  return /^mermaid(\s|$)/.test(lang ?? '');
}

/**
 * What the build knows of a diagram's drawing: its SVG, mermaid's error, or nothing yet (the
 * build draws it in its browser, then renders the deck again).
 */
export type DiagramLookup = (code: string) => { svg: string } | { error: string } | { timeout: string } | null;
import { parseDirectiveAttributes } from './html-dom.js';
import { isAllowedTag, isHtmlAttribute, isSafeUrl, mediaItems, refuseAttribute } from './html-policy.js';
import type { AssetRef } from './types.js';

import { escapeHtml } from '../html.js';

/**
 * Marks a block's first element with the source line it starts on (`data-line`), so what the
 * browser finds on a slide (an overflow, a heading out of order) can be pointed at its line.
 */
function withLine(html: string, token: object): string {
  const line = (token as Partial<LinedToken>).line;
  return line === undefined ? html : html.replace(/^<([a-z][a-z0-9]*)/, `<$1 data-line="${line}"`);
}

/** Marked's HTML renderer plus `+` list fragments, build-time code highlighting and block lines. */
class SlideRenderer extends Renderer {
  override listitem(item: Tokens.ListItem): string {
    const html = super.listitem(item);
    return withLine(item.raw.trimStart().startsWith('+') ? html.replace(/^<li>/, '<li class="fragment">') : html, item);
  }

  override paragraph(token: Tokens.Paragraph): string {
    return withLine(super.paragraph(token), token);
  }

  override heading(token: Tokens.Heading): string {
    return withLine(super.heading(token), token);
  }

  override blockquote(token: Tokens.Blockquote): string {
    return withLine(super.blockquote(token), token);
  }

  override table(token: Tokens.Table): string {
    return withLine(super.table(token), token);
  }

  /** An image's alt text is text: math as its TeX, an emoji as itself, no footnote number. */
  override image(token: Tokens.Image): string {
    const plain = (tokens: Token[] | undefined): Token[] | undefined =>
      tokens?.flatMap((t): Token[] => {
        if (t.type === 'math') return [{ type: 'text', raw: t.raw, text: (t as unknown as MathToken).text }];
        if (t.type === 'emoji') return [{ type: 'text', raw: t.raw, text: (t as unknown as EmojiToken).unicode }];
        if (t.type === 'footnoteRef') return [];
        return [{ ...t, ...('tokens' in t && t.tokens ? { tokens: plain(t.tokens as Token[]) } : {}) } as Token];
      });
    return super.image({ ...token, tokens: plain(token.tokens) ?? [] });
  }

  override code(token: Tokens.Code): string {
    const { text, lang } = token;
    const parsed = parseCodeSteps(lang ?? '');
    const steps = parsed ? keptSteps(parsed, text.split('\n').length) : null;
    const language = steps ? steps.language : ((lang ?? '').match(/^\S*/)?.[0] ?? '');
    const body = highlightCode(text, language);
    const cls = language ? `hljs language-${escapeHtml(language)}` : 'hljs';
    if (steps) return withLine(renderCodeSteps(splitHighlightedLines(body), steps, cls), token);
    return withLine(`<pre><code class="${cls}">${body}\n</code></pre>\n`, token);
  }
}

/** What the slide's parts share while they are rendered: its footnotes and its set formulas. */
export interface RenderState {
  /**
   * HTML Lectern made itself (KaTeX's), put in after the slide is sanitised, in the place of
   * `<span data-lectern-piece="N"></span>`: math needs elements raw HTML may not have.
   */
  pieces: string[];
  /** KaTeX's class names on the slide: which of its fonts the deck needs. */
  mathClasses: Set<string>;
  /** The slide's footnote definitions by label, and the labels in the order first referred to. */
  footnotes: { defs: Map<string, Token[]>; order: string[]; prefix: string };
  /** The diagrams drawn so far. */
  diagrams?: DiagramLookup;
}

/** Footnote definitions by label, the first of each label: of a slide, or of the whole deck. */
export function footnoteDefinitions(tokens: Token[]): Map<string, Token[]> {
  const defs = new Map<string, Token[]>();
  walkTokens(tokens, (token) => {
    if (token.type === 'footnote' && !defs.has((token as unknown as FootnoteToken).label))
      defs.set((token as unknown as FootnoteToken).label, (token as unknown as FootnoteToken).tokens as Token[]);
  });
  return defs;
}

/**
 * A fresh state for one slide (or its notes); `prefix` keeps its footnotes' ids apart. A note
 * defined on another slide (`deckNotes`) serves the slide's references when the slide has none
 * of that label, as a document's footnotes do.
 */
export function renderState(
  tokens: Token[],
  prefix: string,
  diagrams?: DiagramLookup,
  deckNotes?: ReadonlyMap<string, Token[]>,
): RenderState {
  const defs = new Map([...(deckNotes ?? []), ...footnoteDefinitions(tokens)]);
  return {
    pieces: [],
    mathClasses: new Set(),
    footnotes: { defs, order: [], prefix },
    ...(diagrams ? { diagrams } : {}),
  };
}

function parserOptions(state: RenderState): MarkedOptions {
  const { footnotes } = state;
  return {
    renderer: new SlideRenderer(),
    gfm: true,
    extensions: {
      renderers: {
        math(token) {
          const set = renderMath(token as MathToken);
          if (!set.error) mathClasses(set.html, state.mathClasses);
          state.pieces.push(set.html);
          return piecePlace(state.pieces.length - 1);
        },
        footnoteRef(token) {
          const { label, raw } = token as FootnoteRefToken;
          if (!footnotes.defs.has(label)) return escapeHtml(raw);
          let n = footnotes.order.indexOf(label) + 1;
          const first = n === 0;
          if (first) n = footnotes.order.push(label);
          const id = first ? ` id="${footnotes.prefix}-ref-${n}"` : '';
          return `<sup class="footnote-ref"><a href="#${footnotes.prefix}-fn-${n}"${id}>${n}</a></sup>`;
        },
        emoji: (token) => escapeHtml((token as EmojiToken).unicode),
        // A drawn diagram is its SVG; one not drawn (or that did not parse) stays code.
        code(token) {
          const code = token as Tokens.Code & Partial<LinedToken>;
          const drawn = isDiagram(code.lang) ? state.diagrams?.(code.text) : null;
          if (!drawn || !('svg' in drawn)) return false;
          state.pieces.push(cleanSvg(drawn.svg));
          const line = code.line === undefined ? '' : ` data-line="${code.line}"`;
          // A picture to a reader: its own accessible title and description, or its source.
          const label = escapeHtml(diagramLabel(code.text));
          return `<figure class="diagram" role="img" aria-label="${label}"${line}>${piecePlace(state.pieces.length - 1)}</figure>\n`;
        },
        // Definitions are shown at the foot of the slide, by `renderFootnotes`.
        footnote: () => '',
      },
      childTokens: {},
    },
  };
}

/** Renders lexed tokens to HTML. Pure: nothing is shared between calls but `state`. */
export function renderTokens(tokens: Token[], state: RenderState): string {
  return Parser.parse(tokens, parserOptions(state));
}

/** Inline HTML of a heading's text, with no wrapping element. */
export function renderInline(tokens: Token[], state: RenderState): string {
  return new Parser(parserOptions(state)).parseInline(tokens);
}

/**
 * The footnotes the slide referred to, numbered in the order of their first reference, each
 * with a link back to it; empty when there are none.
 */
export function renderFootnotes(state: RenderState): string {
  const { defs, order, prefix } = state.footnotes;
  const items: string[] = [];
  // A footnote may refer to another one, which joins the end of the list.
  for (let i = 0; i < order.length; i++) {
    const n = i + 1;
    const back = ` <a href="#${prefix}-ref-${n}" class="footnote-back" aria-label="back to the text">\u21a9\ufe0e</a>`;
    const body = renderTokens(defs.get(order[i]!)!, state).trim();
    const withBack = /<\/p>$/.test(body) ? body.replace(/<\/p>$/, `${back}</p>`) : `${body}${back}`;
    items.push(`<li id="${prefix}-fn-${n}">${withBack}</li>`);
  }
  return items.length ? `<ol class="footnotes-list">${items.join('')}</ol>` : '';
}

/** Elements one piece of raw HTML may nest: the HTML tree is walked recursively later. */
const MAX_HTML_DEPTH = 200;

interface TokenScan {
  /** Diagram sources not drawn yet. */
  diagrams: string[];
  assets: AssetRef[];
  /** Every link target, as written (Markdown links and `<a href>`). */
  links: AssetRef[];
  warnings: Finding[];
}

/**
 * Finds, with their lines, the files a slide refers to (Markdown images, `<img src>`, slide
 * background images) and, in safe mode, every piece of raw HTML the sanitiser will remove.
 * Works on parsed tokens and a real HTML tokenizer, never on regular expressions over text.
 */
export function scanTokens(
  tokens: Token[],
  file: string,
  unsafe: boolean,
  drawn?: DiagramLookup,
  deckNotes?: ReadonlyMap<string, unknown>,
): TokenScan {
  const diagrams: string[] = [];
  const assets: AssetRef[] = [];
  const links: AssetRef[] = [];
  const warnings: Finding[] = [];
  const removed = (what: string, pos: Pos, why: string): void => {
    warnings.push({
      code: 'HTML_REMOVED',
      message: `removed ${what} (${why})`,
      pos: { file, ...pos },
      hint: 'Lectern keeps layout HTML only; set `html: unsafe` in front matter for decks you trust',
    });
  };

  const refs: { label: string; pos: Pos }[] = [];
  const defs = new Set<string>();
  walkTokens(tokens, (token: LinedToken) => {
    if (token.type === 'math') {
      const math = token as unknown as MathToken & LinedToken;
      const { error, refused } = renderMath(math);
      if (refused) {
        warnings.push({
          code: 'MATH_ERROR',
          message: `${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} turned off: set math links to nothing, loads nothing and adds no HTML`,
          pos: { file, line: math.line, column: math.column },
          hint: 'write the link or the picture in Markdown beside the formula',
        });
      }
      if (error) {
        const before = math.text.slice(0, error.at);
        const lines = before.split('\n');
        const pos =
          lines.length === 1
            ? { line: math.line, column: math.column + math.offset + before.length }
            : { line: math.line + lines.length - 1, column: lines.at(-1)!.length + 1 };
        warnings.push({
          code: 'MATH_ERROR',
          message: `this TeX does not parse: ${error.message}`,
          pos: { file, ...pos },
          hint: 'fix the formula (KaTeX sets it at build time, and shows its source until then); a literal dollar is written \\$',
        });
      }
    } else if (token.type === 'code' && isDiagram((token as Tokens.Code).lang)) {
      const code = token as Tokens.Code & LinedToken;
      const known = drawn?.(code.text);
      if (known && 'error' in known) {
        warnings.push({
          code: 'DIAGRAM_ERROR',
          message: `this diagram does not parse: ${known.error}`,
          pos: { file, line: code.line, column: code.column },
          hint: 'fix the diagram (mermaid draws it at build time); until then its source is shown',
        });
      } else if (known && 'timeout' in known) {
        warnings.push({
          code: 'DIAGRAM_TIMEOUT',
          message: `this diagram is shown as code: ${known.timeout}`,
          pos: { file, line: code.line, column: code.column },
          hint: 'split it into smaller diagrams, or give the run more time with --timeout <seconds>',
        });
      } else if (!known) {
        diagrams.push(code.text);
        warnings.push({
          code: 'DIAGRAM_UNDRAWN',
          message: 'this diagram is shown as code: drawing it needs a browser, and none is here',
          pos: { file, line: code.line, column: code.column },
          hint: 'install Chromium (npm run setup) or set CHROME_PATH; a drawn diagram is kept in .lectern-cache/ for later builds',
        });
      }
    } else if (token.type === 'code') {
      const code = token as Tokens.Code & LinedToken;
      const steps = parseCodeSteps(code.lang ?? '');
      const outside = steps ? linesOutOfRange(steps, code.text.split('\n').length) : [];
      const first = code.raw.split('\n')[0]!;
      const lines = code.text.split('\n').length;
      const pos = steps
        ? { file, line: code.line, column: code.column + Math.max(0, first.indexOf(code.lang ?? '')) + steps.at }
        : undefined;
      if (steps && outside.length) {
        const named =
          outside.length > 8 ? `${outside.slice(0, 8).join(', ')} and ${outside.length - 8} more` : outside.join(', ');
        warnings.push({
          code: 'CODE_STEP_RANGE',
          message: `the line steps name line${outside.length === 1 ? '' : 's'} ${named} of a ${lines}-line code block`,
          pos: pos!,
          hint: `number the lines from 1 to ${lines}, as they stand in the block`,
        });
      }
      const kept = steps ? keptSteps(steps, lines) : null;
      if (kept?.dropped) {
        warnings.push({
          code: 'CODE_STEP_RANGE',
          message: `${steps!.steps.length} line steps: only the first ${kept.steps.length} are shown`,
          pos: pos!,
          hint: `a block takes at most ${MAX_STEPS} steps (fewer for a long block): split the walk-through over slides`,
        });
      }
    } else if (token.type === 'footnoteRef') {
      refs.push({
        label: (token as unknown as FootnoteRefToken).label,
        pos: { line: token.line, column: token.column },
      });
    } else if (token.type === 'footnote') {
      defs.add((token as unknown as FootnoteToken).label);
    } else if (token.type === 'image') {
      const image = token as Tokens.Image;
      // The file the browser will load: character references in the written URL decoded.
      assets.push({
        url: decodeReferences(image.href),
        pos: { file, line: token.line, column: token.column },
        ...(image.text.trim() ? {} : { altMissing: true }),
      });
    } else if (token.type === 'link') {
      const href = decodeReferences((token as Tokens.Link).href);
      if (!unsafe && !isSafeUrl(href, 'link'))
        removed(`link to "${href}"`, { line: token.line, column: token.column }, 'unsafe URL');
      else links.push({ url: href, pos: { file, line: token.line, column: token.column } });
    } else if (token.type === 'html') {
      scanHtml(
        token.raw,
        { line: token.line, column: token.column },
        unsafe,
        { assets, links },
        removed,
        file,
        false,
        warnings,
      );
    }
  });
  for (const ref of refs) {
    if (defs.has(ref.label) || deckNotes?.has(ref.label)) continue;
    warnings.push({
      code: 'FOOTNOTE_MISSING',
      message: `no footnote [^${shortLabel(ref.label)}] in the deck: the reference is shown as written`,
      pos: { file, ...ref.pos },
      hint: `define it on a line of its own, on this slide or any other: [^${shortLabel(ref.label)}]: the note's text`,
    });
  }
  return { assets, links, warnings, diagrams };
}

/** A label as findings show it: cut short past 40 characters. */
function shortLabel(label: string): string {
  return label.length > 40 ? `${label.slice(0, 39)}…` : label;
}

interface Pos {
  line: number;
  column: number;
}

function scanHtml(
  html: string,
  start: Pos,
  unsafe: boolean,
  { assets, links }: { assets: AssetRef[]; links: AssetRef[] },
  removed: (what: string, pos: Pos, why: string) => void,
  file: string,
  nested = false,
  warnings: Finding[] = [],
): void {
  // The tokenizer moves forward: count newlines from where the last position was asked.
  let seen = 0;
  let newlines = 0;
  let lineStart = -1;
  const lineAt = (index: number): Pos => {
    for (; seen < index; seen++) {
      if (html.charCodeAt(seen) === 10) {
        newlines++;
        lineStart = seen;
      }
    }
    return newlines === 0
      ? { line: start.line, column: start.column + index }
      : { line: start.line + newlines, column: index - lineStart };
  };
  const checkAttributes = (tag: string | null, attribs: Record<string, string>, at: Pos): void => {
    for (const [name, value] of Object.entries(attribs)) {
      // An .element comment's target is not known here: only refusals that hold on every
      // element are reported; the final pass on the tree applies the rest.
      const why = unsafe
        ? null
        : nested && isHtmlAttribute(name)
          ? 'HTML inside an HTML attribute'
          : refuseAttribute(tag ?? 'span', name, value, attribs);
      if (why && !(tag === null && why === 'attribute not allowed')) {
        removed(`${name} on <${tag ?? 'element'}>`, at, why);
        continue;
      }
      // HTML inside an attribute (data-notes) is held to the same rules, and its images are the deck's files.
      if (isHtmlAttribute(name) && !nested)
        scanHtml(
          value,
          at,
          unsafe,
          { assets, links },
          (what, pos, why) => removed(`${what} in ${name}`, pos, why),
          file,
          true,
        );
      // Files the deck loads: only from attributes that survive sanitising, item by item as Reveal reads them.
      if (name !== 'src' || tag === 'img') {
        for (const url of mediaItems(name, value)) {
          assets.push({
            url,
            pos: { file, ...at },
            ...(name === 'src' && attribs.alt === undefined ? { altMissing: true } : {}),
          });
        }
      }
      if (name === 'href' && tag === 'a') {
        links.push({ url: value, pos: { file, ...at } });
      }
    }
  };
  let depth = 0;
  const parser: HtmlParser = new HtmlParser(
    {
      onopentag(name, attribs) {
        const at = lineAt(parser.startIndex);
        if (++depth > MAX_HTML_DEPTH) {
          throw new DeckError('MARKDOWN_TOO_DEEP', `HTML elements nested more than ${MAX_HTML_DEPTH} deep`, {
            pos: { file, ...at },
            hint: 'flatten the HTML; no slide needs that many levels',
          });
        }
        if (name === 'section' && !nested) {
          warnings.push({
            code: 'SECTION_UNWRAPPED',
            message:
              'a <section> inside a slide would be a slide of its own to Reveal.js: one that wraps the whole slide gives it its attributes, any other becomes a <div>',
            pos: { file, ...at },
            hint: "split slides with the deck's separators instead of <section> tags",
          });
        }
        if (!unsafe && (!isAllowedTag(name) || (name === 'input' && (attribs.type ?? '').toLowerCase() !== 'checkbox')))
          removed(`<${name}>`, at, 'element not allowed');
        checkAttributes(name, attribs, at);
      },
      onclosetag() {
        depth--;
      },
      oncomment(data) {
        const directive = /^\s*\.(element|slide)\s*:([\s\S]*)$/.exec(data);
        if (directive) {
          const tag = directive[1] === 'slide' ? 'section' : null;
          checkAttributes(tag, parseDirectiveAttributes(directive[2]!), lineAt(parser.startIndex));
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
}

/** A URL as the browser reads it from an attribute: `&#104;ttp:` is `http:`. */
function decodeReferences(url: string): string {
  if (!url.includes('&')) return url;
  const doc = parseDocument(`<a href="${url.replace(/"/g, '&quot;')}"></a>`, { decodeEntities: true });
  const a = doc.children[0];
  return a && 'attribs' in a ? (a.attribs.href ?? url) : url;
}

/**
 * What a diagram says to a reader: mermaid's `accTitle` and `accDescr` when the author wrote
 * them, else its source, on one line (at most 1,000 characters).
 */
export function diagramLabel(source: string): string {
  const title = /^\s*accTitle\s*:\s*(.+)$/m.exec(source)?.[1]?.trim();
  const description =
    /^\s*accDescr\s*:\s*(.+)$/m.exec(source)?.[1]?.trim() ?? /^\s*accDescr\s*\{([\s\S]*?)\}/m.exec(source)?.[1]?.trim();
  const own = [title, description].filter(Boolean).join('. ');
  const text = (own || `Diagram: ${source}`).replace(/\s+/g, ' ').trim();
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
