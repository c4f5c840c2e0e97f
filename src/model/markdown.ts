import hljs from 'highlight.js/lib/common';
import { Parser as HtmlParser, parseDocument } from 'htmlparser2';
import { Parser, Renderer, type Token, type Tokens } from 'marked';
import { DeckError, type Finding } from '../errors.js';
import { walkTokens, type LinedToken } from '../outline/lex.js';
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

  override code(token: Tokens.Code): string {
    const { text, lang } = token;
    const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
    const known = language !== '' && hljs.getLanguage(language) !== undefined;
    const body = known ? hljs.highlight(text, { language, ignoreIllegals: true }).value : escapeHtml(text);
    const cls = language ? ` class="hljs language-${escapeHtml(language)}"` : ' class="hljs"';
    return withLine(`<pre><code${cls}>${body}\n</code></pre>\n`, token);
  }
}

/** Renders lexed tokens to HTML. Pure: no options are shared between calls. */
export function renderTokens(tokens: Token[]): string {
  return Parser.parse(tokens, { renderer: new SlideRenderer(), gfm: true });
}

/** Inline HTML of a heading's text, with no wrapping element. */
export function renderInline(tokens: Token[]): string {
  return new Parser({ renderer: new SlideRenderer(), gfm: true }).parseInline(tokens);
}

/** Elements one piece of raw HTML may nest: the HTML tree is walked recursively later. */
const MAX_HTML_DEPTH = 200;

interface TokenScan {
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
export function scanTokens(tokens: Token[], file: string, unsafe: boolean): TokenScan {
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

  walkTokens(tokens, (token: LinedToken) => {
    if (token.type === 'image') {
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
  return { assets, links, warnings };
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
