import { collect } from '../config/yaml-layer.js';
import type { SourcePos, Finding } from '../errors.js';
import { refuseStylesheet } from '../model/css-value.js';
import type { FileCopy } from './plan.js';
import { resolveAssets, type ResolveContext } from './resolve.js';
import { readRegularFile } from '../read-file.js';

/** The deck's own stylesheets, their copies, and what was said of those left out. */
interface DeckStylesheets {
  /** Paths in the built deck, linked after the template's stylesheets. */
  links: string[];
  copies: FileCopy[];
  warnings: Finding[];
}

/**
 * The deck's own stylesheets (`css:`): files inside the project, and in a safe deck only CSS
 * that loads nothing (no url(), no @import).
 */
export function deckStylesheets(
  paths: string[],
  locate: (key: (string | number)[]) => SourcePos,
  ctx: ResolveContext,
): DeckStylesheets {
  const refs = paths.map((url, i) => ({ url, pos: locate(paths.length === 1 ? [] : [i]) }));
  const found = resolveAssets(refs, ctx);
  if (found.errors.length) throw collect(found.errors);
  const warnings: Finding[] = found.warnings.map((w) => ({
    ...w,
    message: w.message.replace(/^image /, 'stylesheet ').replace('; a placeholder is shown', ''),
  }));
  const out: DeckStylesheets = { links: [], copies: [], warnings };
  for (const copy of found.copies) {
    if (!ctx.unsafe) {
      const why = stylesheetText(readRegularFile(copy.from), refuseStylesheet);
      if (why) {
        warnings.push({
          code: 'HTML_REMOVED',
          message: `stylesheet "${copy.to}" is not linked: ${why}`,
          pos: copy.pos!,
          hint: "keep the deck's CSS to rules that load nothing, or set `html: unsafe` for decks you trust",
        });
        continue;
      }
    }
    out.copies.push(copy);
    out.links.push(copy.to);
  }
  return out;
}

/**
 * A stylesheet read as the browser will read it: one with a UTF-16 byte-order mark, NUL bytes or
 * bytes that are not UTF-8 decodes otherwise there than here, so it is refused unread.
 */
function stylesheetText(bytes: Buffer, check: (css: string) => string | null): string | null {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe) || bytes.includes(0))
    return 'it is not UTF-8 text';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not UTF-8 text';
  }
  return check(text.replace(/^\uFEFF/, ''));
}
