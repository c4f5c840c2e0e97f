import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';

// A speaker in their decks/ folder (or any folder of the project) runs the same commands as from
// its top, with the same result.
describe('the project is found from any folder inside it', () => {
  const project = () =>
    makeProject({
      'lectern.config.yaml': 'out: public\n',
      'decks/a.md': '---\ntemplate: mine\n---\n## A\n',
      'templates/mine/template.yaml': 'name: mine\nextends: default\n',
      'notes/readme.txt': 'x\n',
    });

  it('builds the project from its decks/ folder, with its config and templates, and says which project', async () => {
    const dir = project();
    const run = await cli(['build', '--no-pdf'], join(dir, 'decks'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('lectern: using the project in .. (it has lectern.config.yaml)');
    expect(run.stdout).toContain('built decks/a.md -> public/a/index.html');
    expect(existsSync(join(dir, 'public/a/index.html'))).toBe(true);
    expect(existsSync(join(dir, 'decks/public'))).toBe(false);
  });

  it('gives the same answer to the same command from the top, from decks/ and from another folder', async () => {
    const dir = project();
    const fromTop = await cli(['build', 'decks/a.md', '--no-pdf', '--out', 'y'], dir);
    const fromDecks = await cli(['build', 'a.md', '--no-pdf', '--out', 'y', '--force'], join(dir, 'decks'));
    const fromElsewhere = await cli(['build', 'decks/a.md', '--no-pdf', '--out', 'y', '--force'], join(dir, 'notes'));
    for (const run of [fromTop, fromDecks, fromElsewhere]) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('built decks/a.md -> y/a/index.html');
    }
    expect(fromTop.stderr).not.toContain('using the project');
  });

  it("writes a new deck into the project's decks/ folder, from wherever it is asked", async () => {
    const dir = project();
    const run = await cli(['new', 'deck', 'b', '--no-pdf'], join(dir, 'decks'));
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'decks/b.md'))).toBe(true);
    expect(existsSync(join(dir, 'decks/decks'))).toBe(false);
  });

  it('takes a folder that is in no project as the project, as before', async () => {
    const dir = makeProject({});
    mkdirSync(join(dir, 'loose'));
    const run = await cli(['build', '--no-pdf'], join(dir, 'loose'));
    expect(run.stderr).toContain('INPUT_MISSING');
    expect(run.stderr).not.toContain('using the project');
  });
});
