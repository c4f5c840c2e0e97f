import { appendFileSync } from 'node:fs';

/**
 * Records why a test file skips some of its tests, for the line the run ends with
 * (tests/setup/skip-reporter.ts): a skipped test is always named, with its reason.
 */
export function noteSkip(what: string, reason: string): void {
  const file = process.env.LECTERN_TEST_SKIPS;
  if (file) appendFileSync(file, `${what}\t${reason.replace(/\s+/g, ' ')}\n`);
}

/** Whether a command is on the PATH; when it is not, the skip is noted with `what` it would have tested. */
export function needs(found: boolean, what: string, reason: string): boolean {
  if (!found) noteSkip(what, reason);
  return found;
}
