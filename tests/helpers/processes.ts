import { spawnSync, type ChildProcess } from 'node:child_process';

/**
 * After a test that spawned Lectern: a child (and any Chromium started under its private
 * TMPDIR) still running because the test failed early is killed, so it cannot outlive the run
 * and disturb later tests.
 */
export function reap(child: ChildProcess, tmp?: string): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (!tmp) return;
  const pids = spawnSync('pgrep', ['-f', tmp], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
