import { mergeDeckOptions, type DeckLayer } from '../../src/config/schema.js';
import { buildModel } from '../../src/model/build-model.js';
import type { Deck } from '../../src/model/types.js';
import { lexOutline, parseOutline } from '../../src/outline/parse-outline.js';
import { decodeSource } from '../../src/outline/read.js';

export const defaultLayouts = ['title', 'section', 'bullets', 'quote', 'image', 'code', 'two-column', 'statement', 'closing'];

/** Runs the pure stages on literal Markdown, as the pipeline does for a file. */
export function modelOf(markdown: string, flags: DeckLayer = {}, file = 'deck.md'): Deck {
  const outline = parseOutline(decodeSource(new TextEncoder().encode(markdown), file), file);
  const options = mergeDeckOptions(outline.frontMatter, flags);
  return buildModel({ name: 'deck', file, options, slides: lexOutline(outline, options.slideLevel), layouts: defaultLayouts });
}

/** Slides in reading order. */
export function slidesOf(deck: Deck) {
  return deck.stacks.flatMap((s) => s.slides);
}

/** Captures a thrown DeckError's fields for assertions. */
export function errorOf(fn: () => unknown): { code: string; pos?: { file: string; line?: number; column?: number }; message: string; hint?: string } {
  try {
    fn();
  } catch (err) {
    return err as never;
  }
  throw new Error('expected an error');
}
