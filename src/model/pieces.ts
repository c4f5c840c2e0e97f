import { randomBytes } from 'node:crypto';

/**
 * Lectern's own HTML (set math, drawn diagrams) goes into a slide after it is sanitised, where
 * the renderer left a span named with this process's nonce: no deck can know it, so a deck's
 * raw HTML cannot ask for a piece. A leaf.
 */
export const PIECE_NONCE = randomBytes(6).toString('hex');

/** The place of piece `n`. */
export function piecePlace(n: number): string {
  return `<span data-lectern-piece="${PIECE_NONCE}-${n}"></span>`;
}
