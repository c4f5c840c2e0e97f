import { render } from 'dom-serializer';
import type { AnyNode, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/**
 * A drawn diagram's SVG held to the sanitiser's rules before it goes into a slide: SVG's drawing
 * elements only (no script, no foreignObject, no image, no animation), no event attribute, links
 * only within the SVG (`#id`), and stylesheets that load nothing (`@import` and `url()` to
 * anything but `#id` removed). Pure.
 */

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
  'defs',
  'marker',
  'style',
  'title',
  'desc',
  'lineargradient',
  'radialgradient',
  'stop',
  'clippath',
  'mask',
  'pattern',
  'symbol',
  'use',
  'filter',
  'fegaussianblur',
  'feoffset',
  'feblend',
  'feflood',
  'fecomposite',
  'femerge',
  'femergenode',
  'fedropshadow',
]);

const remoteUrl = /url\(\s*(?!['"]?#)[^)]*\)/gi;

function cleanCss(css: string): string {
  return css
    .replace(/@import[^;]*;?/gi, '')
    .replace(remoteUrl, 'none')
    .replace(/expression\s*\(/gi, '(');
}

/** The SVG with everything but its drawing removed. */
export function cleanSvg(svg: string): string {
  const doc = parseDocument(svg, { xmlMode: true, decodeEntities: true });
  const visit = (nodes: AnyNode[], parent: { children: AnyNode[] }): void => {
    for (const node of [...nodes]) {
      if (isTag(node)) {
        const el = node as Element;
        if (!allowed.has(el.name.toLowerCase())) {
          parent.children.splice(parent.children.indexOf(node), 1);
          continue;
        }
        for (const [name, value] of Object.entries(el.attribs)) {
          const lower = name.toLowerCase();
          const link = lower === 'href' || lower.endsWith(':href');
          if (lower.startsWith('on') || (link && !value.trim().startsWith('#'))) delete el.attribs[name];
          else if (lower === 'style') el.attribs[name] = cleanCss(value);
          else if (/url\(/i.test(value)) el.attribs[name] = value.replace(remoteUrl, 'none');
        }
        visit(el.children, el);
        if (el.name.toLowerCase() === 'style')
          for (const child of el.children) if (isText(child)) child.data = cleanCss(child.data);
      } else if (!isText(node)) {
        // Comments, processing instructions and CDATA hold nothing a slide shows.
        parent.children.splice(parent.children.indexOf(node), 1);
      }
    }
  };
  visit(doc.children, doc);
  return render(doc, { xmlMode: true, encodeEntities: 'utf8', selfClosingTags: true });
}
