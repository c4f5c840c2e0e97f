import type { DeckLayer } from '../../src/config/schema.js';
import { deckFrom, readOutline } from '../../src/model/read-deck.js';
import type { Deck } from '../../src/model/types.js';
import { type DeckError, DeckErrors } from '../../src/errors.js';
import { decodeSource } from '../../src/outline/read.js';

export const defaultLayouts = [
  'title',
  'section',
  'bullets',
  'quote',
  'image',
  'code',
  'two-column',
  'statement',
  'closing',
];

/** Runs the pure stages on literal Markdown, as the pipeline does for a file. */
export function modelOf(markdown: string, flags: DeckLayer = {}, file = 'deck.md'): Deck {
  const { outline, options } = readOutline(decodeSource(new TextEncoder().encode(markdown), file), file, {}, flags);
  // As the pipeline does: the front matter's problems and the slides' are reported together.
  let deck: Deck;
  try {
    deck = deckFrom(outline, options, 'deck', defaultLayouts, {}, flags);
  } catch (err) {
    if (outline.errors.length === 0) throw err;
    throw new DeckErrors([...outline.errors, ...(err instanceof DeckErrors ? err.errors : [err as DeckError])]);
  }
  if (outline.errors.length === 1) throw outline.errors[0];
  if (outline.errors.length > 1) throw new DeckErrors(outline.errors);
  return deck;
}

/** Slides in reading order. */
export function slidesOf(deck: Deck) {
  return deck.stacks.flatMap((s) => s.slides);
}

/** Captures a thrown DeckError's fields for assertions. */
export function errorOf(fn: () => unknown): {
  code: string;
  pos?: { file: string; line?: number; column?: number };
  message: string;
  hint?: string;
} {
  try {
    fn();
  } catch (err) {
    return err as never;
  }
  throw new Error('expected an error');
}
