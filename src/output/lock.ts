import {
  closeSync,
  fstatSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DeckError, type Finding, interrupted } from '../errors.js';
import { onExit, processAlive } from '../processes.js';
import { openRegular, readRegularText } from '../read-file.js';

const LOCK_NAME = '.lectern-lock';

interface OutputLock {
  /** Set when a lock left by a process that no longer runs was taken over. */
  reclaimed?: Finding;
  release: () => void;
}

/** The lock as it is now: who holds it, and which file it is (its inode). */
function readLock(path: string): { pid?: number; ino: number } | null {
  let fd: number;
  try {
    fd = openRegular(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Something that is no lock Lectern wrote (a pipe, a folder, a file it cannot read): a
    // lock of no live process, to be taken over like any stale one.
    try {
      return { ino: lstatSync(path).ino };
    } catch {
      return null;
    }
  }
  try {
    const ino = fstatSync(fd).ino;
    try {
      return { ...(JSON.parse(readFileSync(fd, 'utf8')) as { pid?: number }), ino };
    } catch {
      return { ino };
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Takes the output folder for this run, so two Lecterns never write into it at once: a second
 * one waits for the first (up to `waitMs`, saying so after a second), then fails clearly. A
 * lock whose process is gone is taken over with a warning, by one process only: the lock file
 * appears whole (written aside, then linked into place), and a stale one is removed only by
 * the process that first claims that very file.
 */
export async function lockOutput(
  outDir: string,
  waitMs = 60_000,
  signal?: AbortSignal,
  waiting?: (pid: number) => void,
): Promise<OutputLock> {
  if (signal?.aborted) throw interrupted();
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
  const saidAt = Date.now() + 1_000;
  let said = false;
  let reclaimed: Finding | undefined;
  for (;;) {
    if (signal?.aborted) throw interrupted();
    if (tryCreate(path, outDir)) {
      const release = (): void => {
        forget();
        // Only our own lock: never one another process took over after ours was lost.
        if (readLock(path)?.pid === process.pid) rmSync(path, { force: true });
      };
      const forget = onExit(release);
      sweepLeftovers(outDir);
      return { ...(reclaimed ? { reclaimed } : {}), release };
    }
    const holder = readLock(path);
    if (!holder?.pid || !processAlive(holder.pid)) {
      if (holder && reclaimStale(path, holder)) {
        reclaimed = {
          code: 'LOCK_RECLAIMED',
          message: `took over a lock left by a Lectern that no longer runs${holder.pid ? ` (pid ${holder.pid})` : ''}`,
          pos: { file: path },
          hint: 'an earlier build was killed; its output was never swapped in, so nothing is lost',
        };
      }
      if (Date.now() > until) throw lockedOut(outDir, path);
      // Never a busy loop: a lock that cannot be taken over is looked at again shortly.
      await new Promise((resolve) => setTimeout(resolve, 10));
      continue;
    }
    if (Date.now() > until) {
      throw new DeckError('OUTPUT_LOCKED', `another Lectern (pid ${holder.pid}) is writing ${outDir}`, {
        pos: { file: path },
        hint: 'wait for it to finish, or build into another folder with --out',
      });
    }
    if (!said && Date.now() > saidAt) {
      said = true;
      waiting?.(holder.pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Creates the lock with its content in one step: linking fails if it already exists. */
function tryCreate(path: string, outDir: string): boolean {
  const aside = join(outDir, `${LOCK_NAME}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(aside, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), { flag: 'wx' });
    linkSync(aside, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new DeckError('OUTPUT_WRITE', `could not lock ${outDir}: ${(err as Error).message}`, {
      pos: { file: outDir },
      hint: 'check that the output folder is writable',
      cause: err,
    });
  } finally {
    rmSync(aside, { force: true });
  }
}

/**
 * Removes a stale lock, if this process is the first to claim that very lock file: the claim
 * is a marker named after the file's inode, created exclusively. Between the claim and the
 * removal the lock is looked at again, so a live lock that replaced it is never removed.
 */
function reclaimStale(path: string, stale: { pid?: number; ino: number }): boolean {
  const claim = `${path}.reclaim-${stale.ino}`;
  // The claim appears whole, with its pid inside (written aside, then linked), so no other
  // process can read it empty and take the claimant for dead while it works.
  const aside = join(dirname(path), `${LOCK_NAME}-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    writeFileSync(aside, String(process.pid), { flag: 'wx' });
    linkSync(aside, claim);
  } catch {
    // Another process is reclaiming it; if that one died doing so, its claim is stale too.
    try {
      const claimer = Number(readRegularText(claim));
      if (!claimer || !processAlive(claimer)) rmSync(claim, { force: true });
    } catch {
      // Gone already.
    }
    return false;
  } finally {
    rmSync(aside, { force: true });
  }
  try {
    const now = readLock(path);
    if (!now || now.ino !== stale.ino || (now.pid && processAlive(now.pid))) return false;
    unlinkSync(path);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(claim, { force: true });
  }
}

// Reclaim markers are not here: their claimant's pid is inside them, and reclaimStale handles them.
const LEFTOVER = /^\.lectern-(?:tmp|lock)-(\d+)-[0-9a-f]{12}$|^\.lectern-tmp-[0-9a-f]{12}$/;

/**
 * Removes what runs that died left in the output folder (staged folders, half-written files,
 * lock files being made): each carries its writer's pid, and only those whose writer is gone
 * are removed. Runs while this process holds the lock, so no other run is writing there.
 */
function sweepLeftovers(outDir: string): void {
  const folders = [outDir];
  for (const entry of safeList(outDir)) {
    try {
      if (!entry.startsWith('.') && lstatSync(join(outDir, entry)).isDirectory()) folders.push(join(outDir, entry));
    } catch {
      // Gone meanwhile.
    }
  }
  for (const folder of folders) {
    for (const entry of safeList(folder)) {
      const m = LEFTOVER.exec(entry);
      if (!m) continue;
      const pid = m[1] ? Number(m[1]) : null;
      if (pid === process.pid || (pid !== null && processAlive(pid))) continue;
      rmSync(join(folder, entry), { recursive: true, force: true });
    }
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function lockedOut(outDir: string, path: string): DeckError {
  return new DeckError('OUTPUT_LOCKED', `the lock of ${outDir} could not be taken over`, {
    pos: { file: path },
    hint: `remove ${path} if no Lectern is running, or build into another folder with --out`,
  });
}
