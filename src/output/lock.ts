import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeckError, type Warning } from '../errors.js';

export const LOCK_NAME = '.lectern-lock';

export interface OutputLock {
  /** Set when a lock left by a process that no longer runs was taken over. */
  reclaimed?: Warning;
  release: () => void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder for this run, so two Lecterns never write into it at once: a second
 * one waits for the first (up to `waitMs`), then fails clearly. A lock whose process is gone is
 * taken over with a warning.
 */
export async function lockOutput(outDir: string, waitMs = 60_000, signal?: AbortSignal): Promise<OutputLock> {
  if (signal?.aborted) throw new DeckError('INTERRUPTED', 'interrupted; the previous output is unchanged');
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new DeckError('OUTPUT_WRITE', `could not create ${outDir}: ${(err as Error).message}`, {
      pos: { file: outDir },
      hint: 'check that the output folder is writable and the disk has space',
      cause: err,
    });
  }
  const path = join(outDir, LOCK_NAME);
  const until = Date.now() + waitMs;
  let reclaimed: Warning | undefined;
  for (;;) {
    try {
      writeFileSync(path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' });
      return {
        ...(reclaimed ? { reclaimed } : {}),
        release: () => rmSync(path, { force: true }),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DeckError('OUTPUT_WRITE', `could not lock ${outDir}: ${(err as Error).message}`, {
          pos: { file: outDir },
          hint: 'check that the output folder is writable',
          cause: err,
        });
      }
    }
    let holder: { pid?: number } = {};
    try {
      holder = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
    } catch {
      // Half-written or unreadable: treat it as left behind.
    }
    if (!holder.pid || !alive(holder.pid)) {
      rmSync(path, { force: true });
      reclaimed = {
        code: 'LOCK_RECLAIMED',
        message: `took over a lock left by a Lectern that no longer runs${holder.pid ? ` (pid ${holder.pid})` : ''}`,
        pos: { file: path },
        hint: 'an earlier build was killed; its output was never swapped in, so nothing is lost',
      };
      continue;
    }
    if (Date.now() > until) {
      throw new DeckError('OUTPUT_LOCKED', `another Lectern (pid ${holder.pid}) is writing ${outDir}`, {
        pos: { file: path },
        hint: 'wait for it to finish, or build into another folder with --out',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
