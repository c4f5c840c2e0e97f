import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

// A named pipe where Lectern reads a file (a deck, a config, a file of a built deck, the output
// lock) is refused at its path before anything waits on it: no run hangs, none ends killed.
const limit = 20_000;

function withPipe(files: Record<string, string>, pipe: string): string {
  const dir = makeProject(files);
  rmSync(join(dir, pipe), { force: true });
  execFileSync('mkfifo', [join(dir, pipe)]);
  return dir;
}

describe('a named pipe where a file should be', () => {
  it.each([
    ['a deck', 'decks/pipe.md'],
    ['reveal-md.json', 'decks/reveal-md.json'],
    ['lectern.config.yaml', 'lectern.config.yaml'],
  ])('%s is refused at its path, exit 2', async (_what, pipe) => {
    const dir = withPipe({ 'decks/a.md': '## A\n' }, pipe);
    const run = await runLectern(['build', '--no-pdf'], dir, limit);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${pipe}: error[FILE_NOT_REGULAR]: this is a named pipe, not a file: it is not read`);
  });

  it.each([
    ['a page of a built deck', 'dist/a/index.html'],
    ['a deck.json', 'dist/a/deck.json'],
    ['the output lock', 'dist/.lectern-lock'],
  ])('%s in the output folder neither hangs a build nor survives it', async (_what, pipe) => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    expect((await runLectern(['build', '--no-pdf'], dir, limit)).code).toBe(0);
    rmSync(join(dir, pipe), { force: true });
    execFileSync('mkfifo', [join(dir, pipe)]);
    const run = await runLectern(['build', '--no-pdf'], dir, limit);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'dist/a/index.html'), 'utf8')).toContain('<section');
    expect(existsSync(join(dir, 'dist/.lectern-lock'))).toBe(false);
  });

  it('a deck.json that is a pipe is refused by the exports of a built folder', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    expect((await runLectern(['build', '--no-pdf'], dir, limit)).code).toBe(0);
    rmSync(join(dir, 'dist/a/deck.json'));
    execFileSync('mkfifo', [join(dir, 'dist/a/deck.json')]);
    const run = await runLectern(['pptx', 'dist/a'], dir, limit);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error[INPUT_MISSING]');
    expect(run.stderr).toContain('is not a built deck');
  });
});
