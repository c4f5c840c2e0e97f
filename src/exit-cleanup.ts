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
