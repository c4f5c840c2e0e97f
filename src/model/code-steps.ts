import { createRequire } from 'node:module';
import type HljsModule from 'highlight.js';
import { escapeHtml } from '../html.js';

/** highlight.js, loaded the first time a deck has code: a deck without code never pays for it. */
let hljs: typeof HljsModule | undefined;

/** Highlighted HTML of code in a language highlight.js knows, escaped text otherwise. */
export function highlightCode(text: string, language: string): string {
  if (language === '') return escapeHtml(text);
  hljs ??= createRequire(import.meta.url)('highlight.js/lib/common') as typeof HljsModule;
  return hljs.getLanguage(language) !== undefined
    ? hljs.highlight(text, { language, ignoreIllegals: true }).value
    : escapeHtml(text);
}

/**
 * Code line steps, set at build time: ```` ```js [1|2-3|5] ```` (reveal.js; `[10: 1|2]` numbers
 * the lines from 10), ```` ```js {1|3|all} ```` (Slidev) and `{.js code-line-numbers="1|2"}`
 * (Quarto). The first step is the block as the slide opens; each further one is a fragment that
 * takes its place. Pure.
 */

/** Steps one block may have, and lines times steps it may write: more is cut, with a warning. */
export const MAX_STEPS = 100;
export const MAX_STEP_LINES = 20_000;

export interface CodeSteps {
  /** The language, as the first word of a plain info string would give it. */
  language: string;
  /** The lines each step highlights (1-based, as written); an empty list highlights none. */
  steps: number[][];
  /** The number the first line shows. */
  start: number;
  /** Where the step list starts in the info string, for warnings. */
  at: number;
  /** Steps the list asked for beyond those kept. */
  dropped?: number;
}

const REVEAL = /\[\s*(?:(\d+)\s*:)?\s*([\d\s,|-]*)\]/;
const SLIDEV = /\{\s*([\d\s,|-]*(?:all|none)?[\d\s,|a-z-]*)\}\s*$/;
const QUARTO = /code-line-numbers\s*=\s*"([^"]*)"/;

/** The steps an info string asks for, or null for a plain code block. */
export function parseCodeSteps(info: string): CodeSteps | null {
  const html = /^\s*<html>\s*([^\s]*)\s*<start>\s*(\d*)\s*<steps>([\s\S]*)$/.exec(info);
  // reveal.js's HTML: <code class="language-js" data-line-numbers="1|2" data-ln-start-from="10">.
  if (html) return withSteps(html[1]!, html[3]!, html[2] ? Math.min(Number(html[2]), 1_000_000) : 1, 0);
  const quarto = QUARTO.exec(info);
  if (quarto) {
    const language = /\{\s*\.([\w+#-]+)/.exec(info)?.[1] ?? '';
    return withSteps(language, quarto[1]!, 1, info.indexOf(quarto[0]));
  }
  const language = /^[^\s[{]*/.exec(info)?.[0] ?? '';
  const reveal = REVEAL.exec(info);
  if (reveal)
    return withSteps(language, reveal[2]!, reveal[1] ? Math.min(Number(reveal[1]), 1_000_000) : 1, reveal.index);
  const slidev = SLIDEV.exec(info);
  if (slidev && !/^\s*\./.test(slidev[1]!)) return withSteps(language, slidev[1]!, 1, slidev.index);
  return null;
}

function withSteps(language: string, spec: string, start: number, at: number): CodeSteps | null {
  const steps = spec.split('|').map((step) => {
    const lines: number[] = [];
    for (const part of step.split(',')) {
      const item = part.trim();
      if (item === '' || item === 'all' || item === '*') continue;
      const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
      if (range) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        for (let n = Math.min(from, to); n <= Math.max(from, to) && lines.length < 10_000; n++) lines.push(n);
      } else if (/^\d+$/.test(item)) lines.push(Number(item));
    }
    return lines;
  });
  if (!/[\d|]|all|none/.test(spec) && spec.trim() !== '') return null;
  return { language, steps, start, at };
}

/** The steps a block of `lineCount` lines keeps: at most MAX_STEPS, and MAX_STEP_LINES lines written. */
export function keptSteps(steps: CodeSteps, lineCount: number): CodeSteps {
  const keep = Math.max(1, Math.min(MAX_STEPS, Math.floor(MAX_STEP_LINES / Math.max(1, lineCount))));
  if (steps.steps.length <= keep) return steps;
  return { ...steps, steps: steps.steps.slice(0, keep), dropped: steps.steps.length - keep };
}

/** Lines named by a step that the block does not have. */
export function linesOutOfRange(steps: CodeSteps, lineCount: number): number[] {
  return [...new Set(steps.steps.flat().filter((n) => n < 1 || n > lineCount))].sort((a, b) => a - b);
}

/**
 * Splits highlighted HTML into lines, closing the spans still open at each line's end and
 * opening them again on the next, so every line is whole HTML.
 */
export function splitHighlightedLines(html: string): string[] {
  const lines: string[] = [];
  const open: string[] = [];
  let line = '';
  const tags = /<span[^>]*>|<\/span>|\n/g;
  let last = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    line += html.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '\n') {
      lines.push(line + '</span>'.repeat(open.length));
      line = open.join('');
    } else if (m[0] === '</span>') {
      open.pop();
      line += m[0];
    } else {
      open.push(m[0]);
      line += m[0];
    }
  }
  line += html.slice(last);
  lines.push(line + '</span>'.repeat(open.length));
  // The newline that ends the last line makes no line of its own.
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * The `<pre>` of a stepped block: one `<code>` per step, stacked in one place, every line with
 * its number, the step's lines highlighted and the others dimmed.
 */
export function renderCodeSteps(lines: string[], steps: CodeSteps, codeClass: string): string {
  const codes = (steps.steps.length ? steps.steps : [[]]).map((highlighted, i) => {
    const lit = new Set(highlighted);
    const body = lines
      .map((line, n) => {
        const cls = lit.has(n + 1) ? 'line highlight-line' : 'line';
        return `<span class="${cls}"><span class="ln">${steps.start + n}</span>${line}</span>`;
      })
      .join('\n');
    const classes = [codeClass, 'code-step', lit.size ? 'has-highlights' : '', i > 0 ? 'fragment' : '']
      .filter(Boolean)
      .join(' ');
    return `<code class="${classes}">${body}\n</code>`;
  });
  return `<pre class="code-steps">${codes.join('')}</pre>\n`;
}
