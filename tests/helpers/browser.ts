import { findBrowser } from '../../src/browser/find.js';

/**
 * The browser the real-browser tests use, or null to skip them (with a notice). On CI a missing
 * browser fails the run instead: `.ci/run` installs one, so its absence is a broken setup.
 */
export function browserForTests(suite: string): string | null {
  try {
    return findBrowser();
  } catch (err) {
    if (process.env.CI) throw err;
    console.warn(`${suite} skipped: ${(err as Error).message}`);
    return null;
  }
}
