import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hashTree, repoRoot } from '../helpers/fs.js';
import { tempDir } from '../helpers/temp.js';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** The run's own temporary folder: Chromium profiles live here. */
  tmp: string;
}

/** Runs the real `lectern` process with a private TMPDIR, killing it past `limitMs`. */
export function runLectern(
  args: string[],
  cwd: string,
  limitMs = 60_000,
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const tmp = tempDir('rel');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lectern.js'), ...args], {
      cwd,
      env: { ...process.env, ...env, TMPDIR: tmp },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, tmp });
    });
  });
}

/** Temporary files and locks a run left in a folder (the output record is not one). */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^\.lectern-(tmp|lock)/.test(f));
}

/** Chromium processes started from a run's private TMPDIR. */
export function chromiumOf(tmp: string): number[] {
  const out = spawnSync('pgrep', ['-f', tmp], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter(Boolean).map(Number);
}

export interface Expected {
  code: number;
  /** The first line of stderr must match. */
  first: RegExp;
  /** The run must end within this many milliseconds. */
  withinMs?: number;
}

/**
 * The invariants of every failure: the documented exit code, stderr naming the place, dist/
 * byte-identical, no temporary files, no Chromium left, and an end within the time bound.
 */
export async function expectCleanFailure(
  dir: string,
  args: string[],
  expected: Expected,
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const dist = join(dir, 'dist');
  const before = existsSync(dist) ? hashTree(dist) : null;
  const limit = expected.withinMs ?? 30_000;
  const run = await runLectern(args, dir, limit + 10_000, env);
  expect(run.signal, `killed after ${run.ms} ms`).toBeNull();
  expect(run.stderr.split('\n')[0]).toMatch(expected.first);
  expect(run.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  expect(run.code).toBe(expected.code);
  expect(run.ms).toBeLessThan(limit);
  if (before === null) expect(existsSync(dist) ? readdirSync(dist) : []).toEqual([]);
  else expect(hashTree(dist)).toBe(before);
  if (existsSync(dist)) expect(leftovers(dist)).toEqual([]);
  expect(chromiumOf(run.tmp)).toEqual([]);
  expect(readdirSync(run.tmp)).toEqual([]);
  return run;
}
