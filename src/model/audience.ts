import render from 'dom-serializer';
import { isTag, type AnyNode } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { htmlText } from './html-dom.js';
import type { Deck, Slide } from './types.js';

/**
 * The deck as the audience of `lectern present` receives it: no speaker notes anywhere. The
 * slides' notes are emptied, so no template can show them, and the slides' own HTML loses every
 * note Reveal.js would find in it: `data-notes` attributes and `<aside class="notes">` written
 * in raw HTML. Pure.
 */
export function withoutNotes(deck: Deck): Deck {
  return {
    ...deck,
    stacks: deck.stacks.map((stack) => ({ slides: stack.slides.map(slideWithoutNotes) })),
  };
}

function slideWithoutNotes(slide: Slide): Slide {
  const attributes = { ...slide.attributes };
  delete attributes['data-notes'];
  return {
    ...slide,
    notes: '',
    title: noNotesIn(slide.title),
    titleText: slide.title === noNotesIn(slide.title) ? slide.titleText : htmlText(noNotesIn(slide.title)),
    body: noNotesIn(slide.body),
    columns: slide.columns.map(noNotesIn),
    ...(slide.footnotes !== undefined ? { footnotes: noNotesIn(slide.footnotes) } : {}),
    ...(slide.chrome
      ? {
          chrome: {
            ...slide.chrome,
            ...(slide.chrome.header !== undefined ? { header: noNotesIn(slide.chrome.header) } : {}),
            ...(slide.chrome.footer !== undefined ? { footer: noNotesIn(slide.chrome.footer) } : {}),
          },
        }
      : {}),
    attributes,
  };
}

/** HTML without Reveal's notes: `aside.notes` elements and `data-notes` attributes, on a parsed tree. */
export function noNotesIn(html: string): string {
  if (!/notes/i.test(html)) return html;
  // Finished HTML read and written back as it is: entities stay as they were written.
  const doc = parseDocument(html, { decodeEntities: false });
  const visit = (nodes: AnyNode[]): void => {
    for (const node of [...nodes]) {
      if (!isTag(node)) continue;
      const classes = (node.attribs.class ?? '').split(/\s+/);
      if (node.name.toLowerCase() === 'aside' && classes.includes('notes')) {
        const siblings = node.parent ? node.parent.children : doc.children;
        siblings.splice(siblings.indexOf(node), 1);
        continue;
      }
      for (const name of Object.keys(node.attribs)) if (name.toLowerCase() === 'data-notes') delete node.attribs[name];
      visit(node.children);
    }
  };
  visit(doc.children);
  return render(doc, { decodeEntities: false });
}
