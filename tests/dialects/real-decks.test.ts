import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needs } from '../helpers/skips.js';

/**
 * Decks nobody here wrote (`../shared/real-decks`, when the machine has it): each is built with
 * the CLI as its author left it, and must exit 0 with its author's slide count and nothing of
 * its tool's syntax on a slide. The figures are what this reading reached; a change that loses
 * a deck fails here. The decks stay where they are: nothing of them is copied into the project.
 */
const realDecks = join(import.meta.dirname, '../../../shared/real-decks');
const present = needs(
  existsSync(join(realDecks, 'manifest.tsv')),
  'real decks from public repositories',
  `${realDecks} is not on this machine (the corpus lives outside the project)`,
);

/** Decks that agree, of each tool's, at the last measure (docs/dialects.md explains the rest). */
const reached: Record<string, number> = { 'reveal-md': 20, pandoc: 4, quarto: 11, marp: 26, slidev: 30 };

describe.skipIf(!present)('real decks from public repositories', () => {
  it('build unchanged, with their authors’ slide counts', { timeout: 600_000 }, async () => {
    // @ts-expect-error: a plain script of the project, without types
    const { runReal } = await import('../../scripts/compat-real.mjs');
    const rows: { tool: string; ok: boolean; exit: number; file: string }[] = await runReal(realDecks);
    expect(rows.length).toBe(100);
    // Nothing a deck's own tool accepts stops the build.
    expect(rows.filter((r) => r.exit !== 0).map((r) => r.file)).toEqual([]);
    for (const [tool, n] of Object.entries(reached)) {
      const agreeing = rows.filter((r) => r.tool === tool && r.ok).length;
      expect(agreeing, `${tool}: ${agreeing} decks agree`).toBeGreaterThanOrEqual(n);
    }
    expect(rows.filter((r) => r.ok).length).toBeGreaterThanOrEqual(91);
  });
});
