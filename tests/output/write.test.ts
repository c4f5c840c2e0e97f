import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { describe, expect, it } from 'vitest';
import { writeDecks } from '../../src/output/write.js';
import { hashTree, makeProject } from '../helpers/fs.js';

describe('atomic output', () => {
  it('replaces a deck folder whole, dropping files the new build no longer has', async () => {
    const dir = makeProject({
      'dist/a/old.txt': 'old',
      'dist/a/index.html': 'v1',
      'dist/.lectern-output.json': JSON.stringify({ decks: ['a'], files: [] }),
    });
    await writeDecks(join(dir, 'dist'), [{ name: 'a', files: [{ path: 'index.html', content: 'v2' }], copies: [] }]);
    // The page, and the record of what was written (with the page's digest).
    expect(readdirSync(join(dir, 'dist', 'a'))).toEqual(['_lectern', 'index.html']);
    expect(readFileSync(join(dir, 'dist', 'a', 'index.html'), 'utf8')).toBe('v2');
    expect(JSON.parse(readFileSync(join(dir, 'dist', 'a', '_lectern', 'written.json'), 'utf8'))).toEqual({
      'index.html': createHash('sha256').update('v2').digest('hex'),
    });
    expect(readdirSync(join(dir, 'dist'))).toEqual(['.lectern-output.json', 'a']);
  });

  it('stops on an interrupt before swapping anything in', async () => {
    const dir = makeProject({
      'dist/a/index.html': 'v1',
      'dist/.lectern-output.json': JSON.stringify({ decks: ['a'], files: [] }),
    });
    const before = hashTree(join(dir, 'dist'));
    const controller = new AbortController();
    controller.abort();
    await expect(
      writeDecks(join(dir, 'dist'), [{ name: 'a', files: [{ path: 'index.html', content: 'v2' }], copies: [] }], {
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    expect(hashTree(join(dir, 'dist'))).toBe(before);
  });

  it('keeps the previous folder when work before the swap fails', async () => {
    const dir = makeProject({
      'dist/a/index.html': 'v1',
      'dist/a/a.pdf': 'old pdf',
      'dist/.lectern-output.json': JSON.stringify({ decks: ['a'], files: [] }),
    });
    const before = hashTree(join(dir, 'dist'));
    const failing = async (): Promise<void> => {
      throw Object.assign(new Error('printer on fire'), { code: 'X' });
    };
    await expect(
      writeDecks(join(dir, 'dist'), [{ name: 'a', files: [{ path: 'index.html', content: 'v2' }], copies: [] }], {
        beforeSwap: failing,
      }),
    ).rejects.toMatchObject({ code: 'OUTPUT_WRITE' });
    expect(hashTree(join(dir, 'dist'))).toBe(before);
  });

  it('makes the CLI exit 130 when interrupted', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    const controller = new AbortController();
    controller.abort();
    let stderr = '';
    const code = await runCli(['build', '--no-pdf'], {
      cwd: dir,
      stdout: () => {},
      stderr: (t) => (stderr += t),
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr).toContain('error[INTERRUPTED]');
    expect(readdirSync(dir)).toEqual(['decks']);
  });
});
