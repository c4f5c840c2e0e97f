import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Folders made by this test file, removed when it ends (tests/setup/temp-folders.ts). */
const made: string[] = [];

/** A fresh folder in the system temp folder, named `lectern-<what>-…`, removed after the test file. */
export function tempDir(what: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lectern-${what}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder this file made (and whatever a run left inside them). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}
