import { closeSync, openSync, readSync } from 'node:fs';
import { DeckError, type Finding } from '../errors.js';
import { cleanSvgFile } from '../model/svg.js';
import type { FileCopy } from './plan.js';
import { readOpenFile } from '../read-file.js';
import { openChecked } from './verify-copies.js';

/**
 * What a safe deck publishes of the files it carries (images, downloads, linked files), decided
 * by what each file is, never by a search of its text: a drawing (SVG by name or by its bytes) is
 * read whole and published as a rewrite through the drawing allowlist (src/model/svg.ts), or
 * refused when nothing in it is a drawing; a document a browser would run as a page (the HTML and
 * XML family, by Chromium's names for them or by its sniffing of the first bytes) is not
 * published at all; anything else is copied as it is.
 */

/** The largest drawing read: a slide's picture, not a map of the world. */
export const MAX_DRAWING_BYTES = 32 * 1024 * 1024;
/** As much as Chromium's sniffer looks at. */
const SNIFF_BYTES = 1024;

/** Names Chromium opens as a page, or as an XML document that may hold one (net/base/mime_util). */
const pageNames =
  /\.(html?|shtml?|xht|xhtml?|xml|xsl|xslt|xbl|rss|atom|rdf|mht|mhtml|svgz|php|phtml|asp|aspx|jsp|cgi|pl)$/i;
const drawingName = /\.svg$/i;
/**
 * What a deck carries is published only under a name of a kind that opens as a picture, a
 * sound, a video, text, data or a document in its own program, never as a page: an allowlist,
 * since each system maps more names to pages than any list of them could hold. A file without
 * an extension is judged by its bytes.
 */
const publishedName =
  /(^|\/)[^./]+$|\.(png|jpe?g|gif|webp|avif|bmp|ico|tiff?|heic|mp4|webm|ogv|ogg|mov|m4v|mkv|mp3|m4a|wav|oga|opus|flac|aac|vtt|srt|pdf|css|txt|md|markdown|csv|tsv|json|geojson|ya?ml|toml|ini|cfg|log|tex|bib|ipynb|py|r|rmd|jl|js|mjs|ts|c|h|cc|cpp|hpp|java|kt|go|rs|rb|sh|bash|sql|lua|swift|scala|hs|ml|ex|exs|erl|dart|zip|gz|tgz|bz2|xz|7z|tar|pptx?|docx?|xlsx?|odp|odt|ods|key|epub|ttf|otf|woff2?|stl|obj|glb|gltf|dot|gv|drawio|psd|ai|eps|kml|gpx|parquet|npy|npz|h5|onnx|safetensors|gguf)$/i;

/** HTML by Chromium's sniffer: a known tag after white space, followed by a space or `>`. */
const htmlStart =
  /^[\t\n\f\r ]*<(!doctype html|script|html|!--|head|iframe|h1|div|font|table|a|style|title|b|body|br|p)[\t\n\f\r >]/i;

export type DocumentKind = 'drawing' | 'page' | 'other';

/** What a file is to a browser that opens it on its own, from its name and first bytes. */
export function documentKind(name: string, head: Uint8Array): DocumentKind {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, SNIFF_BYTES)).replace(/^\uFEFF/, '');
  const xml = /^[\t\n\f\r ]*<\?xml/i.test(text);
  // An XML document's root decides: an <svg> is a drawing, anything else may hold a page.
  const svgRoot =
    /^[\t\n\f\r ]*(<\?xml[^>]*>[\s]*)?(<!--[\s\S]*?-->[\s]*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?[^>]*>[\s]*|<\?[^>]*>[\s]*)*<([\w.-]+:)?svg[\s>/]/i;
  // A name a browser opens as a page is a page, whatever the bytes: a drawing named .html is one.
  if (pageNames.test(name)) return 'page';
  if (drawingName.test(name) || svgRoot.test(text)) return 'drawing';
  if (xml || htmlStart.test(text) || !publishedName.test(name)) return 'page';
  return 'other';
}

interface Published {
  copies: FileCopy[];
  warnings: Finding[];
  errors: DeckError[];
}

/** The deck's copies as a safe deck publishes them (Lectern's own files pass as they are). */
export function publishCopies(copies: FileCopy[], unsafe: boolean): Published {
  const out: Published = { copies: [], warnings: [], errors: [] };
  for (const copy of copies) {
    if (unsafe || !copy.pos) {
      out.copies.push(copy);
      continue;
    }
    const kind = documentKind(copy.to, copy.content ?? readHead(copy));
    if (kind === 'other') out.copies.push(copy);
    else if (kind === 'page') {
      out.warnings.push({
        code: 'PAGE_NOT_PUBLISHED',
        message: `"${copy.to}" is a web page, an XML document or a file of a kind Lectern does not publish: a safe deck leaves it out, so the link leads nowhere`,
        pos: copy.pos,
        hint: 'publish the page yourself beside the built deck, or set `html: unsafe` for decks you trust',
      });
    } else {
      const text =
        copy.content === undefined
          ? readWhole(copy)
          : copy.content.length > MAX_DRAWING_BYTES
            ? null
            : copy.content.toString('utf8');
      const svg = text === null ? null : cleanSvgFile(text);
      if (svg === null) {
        out.errors.push(
          new DeckError(
            'ASSET_UNSAFE',
            text === null
              ? `"${copy.to}" is a drawing of more than ${MAX_DRAWING_BYTES / 1024 / 1024} MB: it is not published`
              : `"${copy.to}" has no SVG drawing in it (its outermost element is not an <svg> Lectern can rewrite)`,
            {
              pos: copy.pos,
              hint: 'export the drawing again as plain SVG (or as PNG), or set `html: unsafe` for decks you trust',
            },
          ),
        );
      } else out.copies.push({ ...copy, content: Buffer.from(svg) });
    }
  }
  return out;
}

function open(copy: FileCopy): number {
  return copy.checked ? openChecked(copy) : openSync(copy.from, 'r');
}

function readHead(copy: FileCopy): Buffer {
  const fd = open(copy);
  try {
    const head = Buffer.alloc(SNIFF_BYTES);
    return head.subarray(0, readSync(fd, head, 0, SNIFF_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** The whole file as text, or null above the limit. */
function readWhole(copy: FileCopy): string | null {
  return readOpenFile(open(copy), MAX_DRAWING_BYTES)?.toString('utf8') ?? null;
}
