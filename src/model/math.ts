import { createRequire } from 'node:module';
import type KatexModule from 'katex';
import { escapeHtml } from '../html.js';
import { MAX_TEX, type MathToken } from '../outline/extensions.js';

/** TeX set at build time: KaTeX's HTML (what is seen) and MathML (what is read aloud). */
export interface RenderedMath {
  html: string;
  /** KaTeX's message and where in the TeX it stopped, when the TeX does not parse. */
  error?: { message: string; at: number };
  /** Commands that would link, load or add HTML (`\\href`, `\\includegraphics`): shown, not run. */
  refused?: string[];
}

/** KaTeX, loaded the first time a deck has a formula: a deck without math never pays for it. */
let katex: typeof KatexModule | undefined;

/** Formulas already set in this process: a deck's slides are rendered and scanned both. */
const memo = new Map<string, RenderedMath>();
const MEMO_LIMIT = 2000;

/**
 * Sets one formula. No script, no link and no file: KaTeX's `trust` stays off (no `\href`,
 * `\includegraphics` or `\htmlClass`), macros expand a bounded number of times, and the source
 * of a formula that does not parse is shown in its place.
 */
export function renderMath(token: Pick<MathToken, 'text' | 'display' | 'raw'>): RenderedMath {
  const key = `${token.display ? 'D' : 'I'}${token.text}`;
  const known = memo.get(key);
  if (known) return known;
  let result: RenderedMath;
  const refused: string[] = [];
  // A macro defined in a formula can be made to expand into megabytes from a few hundred
  // characters: formulas define none (KaTeX's own macros stay).
  const defines = /\\(def|gdef|edef|xdef|let|futurelet|newcommand|renewcommand|providecommand|global)(?![a-zA-Z])/.exec(
    token.text,
  );
  if (defines || token.text.length > MAX_TEX) {
    result = {
      html: `<code class="math-error">${escapeHtml(token.raw)}</code>`,
      error: defines
        ? { message: `\\${defines[1]} is turned off: a formula defines no macro`, at: defines.index }
        : { message: `the formula is longer than ${MAX_TEX} characters`, at: 0 },
    };
    memo.set(key, result);
    return result;
  }
  katex ??= createRequire(import.meta.url)('katex') as typeof KatexModule;
  try {
    result = {
      html: katex.renderToString(token.text, {
        displayMode: token.display,
        output: 'htmlAndMathml',
        throwOnError: true,
        strict: 'ignore',
        trust: (context: { command: string }) => {
          if (!refused.includes(context.command)) refused.push(context.command);
          return false;
        },
        maxExpand: 1000,
        maxSize: 50,
      }),
      ...(refused.length ? { refused } : {}),
    };
  } catch (err) {
    const e = err as { rawMessage?: string; message?: string; position?: number };
    result = {
      html: `<code class="math-error">${escapeHtml(token.raw)}</code>`,
      error: { message: e.rawMessage ?? e.message ?? String(err), at: e.position ?? 0 },
    };
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

/** The class names of KaTeX's HTML: which of its fonts a deck needs follows from them. */
export function mathClasses(html: string, into: Set<string>): void {
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const name of m[1]!.split(/\s+/)) if (name) into.add(name);
}
