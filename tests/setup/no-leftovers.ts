import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * The whole run leaves nothing behind. The suite gets a temp folder of its own: every test
 * file, every Lectern it runs and every browser it starts inherit it as TMPDIR, so what is left
 * there at the end is what this run made and did not remove, whatever else runs on the machine
 * (a `lectern serve` elsewhere, another checkout's tests). Every `lectern-*` entry left in it
 * fails the run, by name; the folder itself then goes.
 */

let root = '';

export function setup(): void {
  root = mkdtempSync(join(tmpdir(), 'lectern-test-run-'));
  process.env.TMPDIR = root;
  process.env.TMP = root;
  process.env.TEMP = root;
  // Why tests were skipped, for the reporter that names them (tests/setup/skip-reporter.ts).
  process.env.LECTERN_TEST_SKIPS = join(root, 'skipped.tsv');
  // The code cache of every `lectern` the tests start (src/cli/code-cache.ts) stays in the run's
  // folder too, not in the user's cache.
  process.env.XDG_CACHE_HOME = join(root, 'cache');
}

export function teardown(): void {
  if (!root) return;
  const left = readdirSync(root)
    .filter((name) => name.startsWith('lectern-'))
    .sort();
  rmSync(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} folder(s) in their temp folder: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}`,
    );
  }
}
