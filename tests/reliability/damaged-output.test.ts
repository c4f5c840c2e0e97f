import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

// An incremental build keeps a file only while it is byte for byte what Lectern wrote: every
// file's digest is on record, and one that differs (emptied, cut short, damaged at the same
// size) or is missing is made again.
const browserPath = browserForTests('damaged output tests');
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

/** The same length, one byte different. */
function flipLastByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length - 1]! ^= 1;
  writeFileSync(path, bytes);
}

describe.skipIf(!browserPath)('damaged output is made again', () => {
  it('an emptied PDF, thumbnail, slide picture or PowerPoint file, and a copy or single file damaged at its size', async () => {
    const dir = makeProject({
      'lectern.config.yaml': 'formats: [html, pdf, png, pptx, single-file]\n',
      'decks/a.md': '---\ntitle: Kept whole\ndate: 2026-05-01\n---\n\n## One\n\n![dot](dot.png)\n',
      'decks/dot.png': pixel,
    });
    const first = await runLectern(['build'], dir, 180_000);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const files = ['dist/a/a.pdf', 'dist/a/thumbnail.png', 'dist/a/slides/001.png', 'dist/a/a.pptx'];
    const original = new Map(
      [...files, 'dist/a/dot.png', 'dist/a.html'].map((f) => [f, readFileSync(join(dir, f))] as const),
    );
    const again = await runLectern(['build'], dir, 180_000);
    expect(again.stdout).toContain('1 unchanged, skipped');

    for (const f of files) truncateSync(join(dir, f), 0);
    flipLastByte(join(dir, 'dist/a/dot.png'));
    flipLastByte(join(dir, 'dist/a.html'));
    const repaired = await runLectern(['build'], dir, 180_000);
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    for (const f of files) {
      expect(statSync(join(dir, f)).size, f).toBeGreaterThan(100);
      expect(readFileSync(join(dir, f)).subarray(0, 2), f).toEqual(original.get(f)!.subarray(0, 2));
    }
    expect(readFileSync(join(dir, 'dist/a/dot.png'))).toEqual(pixel);
    expect(readFileSync(join(dir, 'dist/a.html'))).toEqual(original.get('dist/a.html'));

    // And once whole again, nothing more is made.
    const settled = await runLectern(['build'], dir, 180_000);
    expect(settled.stdout).toContain('1 unchanged, skipped');
  }, 600_000);
});
