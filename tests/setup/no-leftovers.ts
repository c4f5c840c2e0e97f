import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';

/*
 * The whole run leaves nothing behind: every `lectern-*` entry of the system temp folder that
 * appears during `npm test` must be gone at its end, whether a test or Lectern itself made it.
 */

const ours = (): Set<string> => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('lectern-')));

let before = new Set<string>();

export function setup(): void {
  before = ours();
}

export function teardown(): void {
  const left = [...ours()].filter((name) => !before.has(name)).sort();
  if (left.length > 0) {
    throw new Error(
      `the tests left ${left.length} folder(s) in ${tmpdir()}: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}`,
    );
  }
}
