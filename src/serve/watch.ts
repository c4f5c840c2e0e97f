import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join, resolve } from 'node:path';

export interface WatchTarget {
  dir: string;
  recursive: boolean;
}

interface FolderWatcher {
  /** Watches exactly these folders from now on (adding and dropping watchers as needed). */
  set: (targets: WatchTarget[]) => void;
  close: () => void;
}

/**
 * Watches folders, not files: an editor that saves by writing a temporary file and renaming it
 * over the original (vim, many IDEs, `sed -i`) replaces the file, and a watcher on the file
 * itself would go quiet after the first save. Changes are gathered for `debounceMs` after the
 * last one, then reported together as absolute paths.
 */
export function watchFolders(onChange: (paths: Set<string>) => void, debounceMs = 15): FolderWatcher {
  const watchers = new Map<string, FSWatcher>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    timer = undefined;
    const batch = pending;
    pending = new Set();
    if (batch.size) onChange(batch);
  };

  return {
    set(targets) {
      const wanted = new Map(
        targets.filter((t) => existsSync(t.dir)).map((t) => [`${resolve(t.dir)}|${t.recursive}`, t]),
      );
      for (const [key, watcher] of watchers) {
        if (!wanted.has(key)) {
          watcher.close();
          watchers.delete(key);
        }
      }
      for (const [key, target] of wanted) {
        if (watchers.has(key)) continue;
        const dir = resolve(target.dir);
        const watcher = watch(dir, { recursive: target.recursive }, (_event, filename) => {
          if (!filename) return;
          pending.add(join(dir, filename.toString()));
          clearTimeout(timer);
          timer = setTimeout(flush, debounceMs);
        });
        watcher.on('error', () => watchers.delete(key));
        watchers.set(key, watcher);
      }
    },
    close() {
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
