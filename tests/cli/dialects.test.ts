import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';

describe('the dialect a deck is read in, through the CLI', () => {
  const files = {
    'decks/talk.md':
      '---\ntitle: Open models\nrevealOptions:\n  transition: fade\n---\n# One\n## still one\n---\n# Two\nNote: say it\n',
    'decks/course.qmd': '---\ntitle: Course\n---\n\n## A\n\n::: notes\nsay\n:::\n',
  };

  it('is said with --verbose and in --json, with the reason', async () => {
    const dir = makeProject(files);
    const verbose = await cli(['build', '--no-pdf', '--verbose'], dir);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout).toContain(
      'built decks/course.qmd -> dist/course/index.html (2 slides)\n  read as quarto: a .qmd file is Quarto\n',
    );
    expect(verbose.stdout).toContain(
      'built decks/talk.md -> dist/talk/index.html (2 slides)\n  read as reveal-md: front matter has `revealOptions`, which reveal-md reads\n',
    );
    const json = JSON.parse((await cli(['build', '--no-pdf', '--json'], dir)).stdout);
    expect(
      json.decks.map((d: { file: string; dialect: string; slides: number }) => [d.file, d.dialect, d.slides]),
    ).toEqual([
      ['decks/course.qmd', 'quarto', 2],
      ['decks/talk.md', 'reveal-md', 2],
    ]);
    const check = JSON.parse((await cli(['check', '--no-browser', '--json'], dir)).stdout);
    expect(check.decks.map((d: { dialectReason: string }) => d.dialectReason)).toEqual([
      'a .qmd file is Quarto',
      'front matter has `revealOptions`, which reveal-md reads',
    ]);
  });

  it('is set by --dialect over everything in the file, and a wrong name is a usage error with a suggestion', async () => {
    const dir = makeProject(files);
    const run = await cli(['build', 'decks/talk.md', '--no-pdf', '--dialect', 'lectern', '--json'], dir);
    // Read as a Lectern outline, the headings split: the title slide, One, still one, Two.
    expect(JSON.parse(run.stdout).decks[0]).toMatchObject({
      dialect: 'lectern',
      slides: 4,
      dialectReason: '--dialect says `dialect: lectern`',
    });
    const bad = await cli(['build', '--dialect', 'markdown-it'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('lectern: error[USAGE]: unknown dialect "markdown-it"');
    const close = await cli(['build', '--dialect', 'revealmd'], dir);
    expect(close.stderr).toContain('unknown dialect "revealmd" (did you mean "reveal-md"?)');
  });
});
