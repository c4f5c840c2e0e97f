import { render } from 'dom-serializer';
import type { AnyNode, Element } from 'domhandler';
import { isCDATA, isTag, isText, Text } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { refuseDrawingCss } from './css-value.js';

/**
 * An SVG held to the sanitiser's rules, rewritten rather than searched: a drawn diagram before it
 * goes into a slide, and every SVG file a safe deck publishes. The document is parsed as XML and
 * written anew from what an allowlist keeps: SVG's drawing elements only, each known by its
 * namespace as the browser resolves it (a prefix bound to another namespace, or the SVG namespace
 * under another name, is resolved first), no script, no foreignObject, no animation, no event
 * attribute under any prefix, links only within the drawing (`#id`), pictures only as embedded
 * raster data, and stylesheets that load nothing. Doctypes (and so entities), comments and
 * processing instructions are not written. Pure.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Drawing elements by local name, lower-cased (XML keeps their case; the copy does too). */
const allowed = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textpath',
  'defs',
  'marker',
  'style',
  'title',
  'desc',
  'metadata',
  'switch',
  'image',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'mask',
  'pattern',
  'symbol',
  'use',
  'view',
  'filter',
  'fegaussianblur',
  'feoffset',
  'feblend',
  'feflood',
  'fecomposite',
  'femerge',
  'femergenode',
  'fedropshadow',
  'fecolormatrix',
  'fecomponenttransfer',
  'fefunca',
  'fefuncr',
  'fefuncg',
  'fefuncb',
  'feconvolvematrix',
  'fediffuselighting',
  'fespecularlighting',
  'fedistantlight',
  'fepointlight',
  'fespotlight',
  'fedisplacementmap',
  'femorphology',
  'feturbulence',
  'fetile',
]);

/** A picture inside the drawing: raster data only, never a page, a drawing or a file elsewhere. */
const embeddedRaster = /^\s*data:image\/(png|jpeg|gif|webp|avif|bmp);/i;

type Scope = ReadonlyMap<string, string>;

/** The namespaces an element declares, over those in scope. `''` is the default namespace. */
function scopeOf(el: Element, outer: Scope): Scope {
  let scope: Map<string, string> | null = null;
  for (const [name, value] of Object.entries(el.attribs)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(outer);
    scope.set(name === 'xmlns' ? '' : name.slice(6), value.trim());
  }
  return scope ?? outer;
}

function split(name: string): [prefix: string, local: string] {
  const colon = name.indexOf(':');
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)];
}

interface Cleaned {
  svg: string;
  /** The outermost element kept is an `<svg>`: the document is a drawing. */
  drawing: boolean;
}

function clean(svg: string, standalone: boolean): Cleaned {
  const doc = parseDocument(svg, { xmlMode: true, decodeEntities: true });
  // In a page (a diagram inside a slide) an unprefixed <svg> is SVG whatever it declares; a file
  // is SVG only by its namespace, but a missing declaration is read leniently as SVG too.
  const root: Scope = new Map([
    ['', SVG_NS],
    ['xml', XML_NS],
  ]);
  const visit = (nodes: AnyNode[], parent: { children: AnyNode[] }, outer: Scope): void => {
    for (const node of [...nodes]) {
      const drop = () => parent.children.splice(parent.children.indexOf(node), 1);
      if (isCDATA(node)) {
        // Character data is text: written again as escaped text.
        const text = new Text(
          node.children
            .filter(isText)
            .map((t) => t.data)
            .join(''),
        );
        text.parent = node.parent;
        parent.children.splice(parent.children.indexOf(node), 1, text);
        continue;
      }
      if (!isTag(node)) {
        // Comments, processing instructions and doctypes (with their entities) are not written.
        if (!isText(node)) drop();
        continue;
      }
      const el = node as Element;
      const scope = scopeOf(el, outer);
      const [prefix, local] = split(el.name);
      const ns = scope.get(prefix) ?? (prefix === '' ? SVG_NS : undefined);
      if (ns !== SVG_NS || !allowed.has(local.toLowerCase())) {
        drop();
        continue;
      }
      el.name = local;
      const attribs: Record<string, string> = {};
      for (const [name, value] of Object.entries(el.attribs)) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
        const [attrPrefix, attrLocal] = split(name);
        const attrNs = attrPrefix === '' ? '' : scope.get(attrPrefix);
        const lower = attrLocal.toLowerCase();
        // Event handlers are dropped under any prefix; only plain, xlink: and xml: attributes stay.
        if (lower.startsWith('on')) continue;
        if (attrNs !== '' && attrNs !== XLINK_NS && attrNs !== XML_NS) continue;
        const key = attrNs === XLINK_NS ? `xlink:${attrLocal}` : attrNs === XML_NS ? `xml:${attrLocal}` : attrLocal;
        if (lower === 'href' || lower === 'src') {
          const target = value.trim();
          const raster = local.toLowerCase() === 'image' && embeddedRaster.test(target);
          if (!target.startsWith('#') && !raster) continue;
          attribs[key] = value;
        } else if (refuseDrawingCss(value) === null) {
          // Every other value is read as CSS (style, fill, cursor, mask…): one that would load
          // anything is dropped whole, never patched.
          attribs[key] = value;
        }
      }
      el.attribs = attribs;
      visit(el.children, el, scope);
      if (local.toLowerCase() === 'style') {
        // The stylesheet as the browser reads it: all its text as one, checked whole.
        const css = el.children
          .filter(isText)
          .map((t) => t.data)
          .join('');
        const text = new Text(refuseDrawingCss(css) === null ? css : '');
        text.parent = el;
        el.children = [text];
      }
    }
  };
  visit(doc.children, doc, root);
  const top = doc.children.filter(isTag);
  const drawing = top.length === 1 && (top[0] as Element).name.toLowerCase() === 'svg';
  if (standalone && drawing) {
    const el = top[0] as Element;
    const uses = (n: AnyNode): boolean =>
      isTag(n) && (Object.keys((n as Element).attribs).some((k) => k.startsWith('xlink:')) || n.children.some(uses));
    el.attribs = {
      xmlns: SVG_NS,
      ...(uses(el) ? { 'xmlns:xlink': XLINK_NS } : {}),
      ...el.attribs,
    };
  }
  // Only the drawing is written: text beside the root element is nothing a viewer shows.
  const written = standalone ? top : doc.children;
  return {
    svg: render(written, { xmlMode: true, encodeEntities: 'utf8', selfClosingTags: true }),
    drawing,
  };
}

/** A diagram's SVG with everything but its drawing removed. */
export function cleanSvg(svg: string): string {
  return clean(svg, false).svg;
}

/**
 * An SVG file as a safe deck publishes it: rewritten as a standalone drawing, with its XML
 * declaration; null when nothing in it is a drawing (its outermost kept element is no `<svg>`).
 */
export function cleanSvgFile(text: string): string | null {
  const { svg, drawing } = clean(text.replace(/^\uFEFF/, ''), true);
  return drawing ? `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n` : null;
}
