/** Whether a process with this pid is running (one we may not signal is running too). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Work that must happen even when the process is made to exit at once (a second Ctrl-C): the
 * output lock released, staged folders removed, the browser killed. Each is synchronous and
 * registered only while it is needed; the normal paths clean up as before and unregister.
 */
const pending = new Set<() => void>();
let installed = false;

export function onExit(cleanup: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const fn of [...pending]) {
        try {
          fn();
        } catch {
          // Exiting: nothing left to report to.
        }
      }
    });
  }
  pending.add(cleanup);
  return () => pending.delete(cleanup);
}
