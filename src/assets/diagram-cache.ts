import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagramLookup } from '../model/markdown.js';
import { readRegularText } from '../read-file.js';

/**
 * Drawn diagrams, kept in the project (`.lectern-cache/diagrams/`) by the hash of what decides
 * the drawing: the source, the template's mermaid theme and mermaid's version. A build without a
 * browser (`--no-pdf` on a machine without one), `serve` and every later build use them.
 */
export interface DiagramCache {
  /** What is known of a diagram in this theme. */
  lookup: (theme: string) => DiagramLookup;
  /** Keeps a drawing (or mermaid's error) for later builds. */
  store: (code: string, theme: string, drawn: { svg: string } | { error: string } | { timeout: string }) => void;
}

export function diagramCache(projectDir: string, engine: string, writes = true): DiagramCache {
  const dir = join(projectDir, '.lectern-cache', 'diagrams');
  const key = (code: string, theme: string): string =>
    createHash('sha256').update(`${engine}\0${theme}\0${code}`).digest('hex').slice(0, 32);
  // Drawn in this run but not written (a run that writes nothing, such as `check`).
  const held = new Map<string, { svg: string } | { error: string } | { timeout: string }>();
  return {
    lookup: (theme) => (code) => {
      const k = key(code, theme);
      const known = held.get(k);
      if (known) return known;
      try {
        return { svg: readRegularText(join(dir, `${k}.svg`)) };
      } catch {
        try {
          return { error: readRegularText(join(dir, `${k}.error`)) };
        } catch {
          return null;
        }
      }
    },
    store: (code, theme, drawn) => {
      const k = key(code, theme);
      held.set(k, drawn);
      // A diagram not drawn in time is tried again by the next run.
      if (!writes || 'timeout' in drawn) return;
      try {
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${k}.${'svg' in drawn ? 'svg' : 'error'}`);
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, 'svg' in drawn ? drawn.svg : drawn.error);
        renameSync(tmp, file);
      } catch {
        // A cache that cannot be written only costs a drawing next time.
      }
    },
  };
}
