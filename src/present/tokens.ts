import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The three views of a talk; each has its own secret in its address. */
export type View = 'presenter' | 'audience' | 'remote';

export const views: readonly View[] = ['presenter', 'audience', 'remote'];

/** 32 random bytes (256 bits) as URL-safe base64: 43 characters no one guesses. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Which view a token opens, if any. Every view's token is compared, each in constant time over
 * equal-length digests, so neither the answer nor how long it takes says how much of a guess was
 * right.
 */
export function viewOfToken(candidate: string, tokens: Readonly<Record<View, string>>): View | null {
  const given = digest(candidate);
  let found: View | null = null;
  for (const view of views) {
    if (timingSafeEqual(given, digest(tokens[view])) && found === null) found = view;
  }
  return found;
}
