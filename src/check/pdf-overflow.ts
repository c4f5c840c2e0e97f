import type { Deck } from '../model/types.js';

// Type imports only: the build reads this rule before it loads any checking code.

/**
 * Whether a PDF export reports the overflows it measures: it follows the deck's slide-overflow
 * rule, and gives way to the browser check's more precise findings when that ran too.
 */
export function pdfReportsOverflow(deck: Deck, browserChecked: boolean): boolean {
  return !browserChecked && deck.options.checks['slide-overflow']?.severity !== 'off';
}
