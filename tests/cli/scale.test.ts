import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';

const decks = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [
    `decks/talk-${i + 1}.md`,
    `---\ntitle: Talk ${i + 1}\n---\n\n## Slide of talk ${i + 1}\n\n- a point\n`,
  ]),
);
const deckFolders = (out: string): string[] =>
  existsSync(out)
    ? readdirSync(out)
        .filter((n) => existsSync(join(out, n, 'deck.json')))
        .sort()
    : [];

describe('lectern build --shard k/n', () => {
  it('the shards of n build every deck exactly once, the same decks on every run, and leave the index to lectern index', async () => {
    const dir = makeProject(decks);
    const shards: string[][] = [];
    for (const k of [1, 2, 3]) {
      const run = await cli(['build', '--no-pdf', '--quiet', '--shard', `${k}/3`, '--out', `out-${k}`], dir);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(existsSync(join(dir, `out-${k}`, 'index.html'))).toBe(false);
      shards.push(deckFolders(join(dir, `out-${k}`)));
    }
    const all = shards.flat().sort();
    expect(all).toEqual(
      Object.keys(decks)
        .map((f) => f.replace(/^decks\/|\.md$/g, ''))
        .sort(),
    );
    expect(new Set(all).size).toBe(12);
    // Every shard gets some of twelve decks, and a second run of a shard takes the same ones.
    expect(shards.every((s) => s.length > 0)).toBe(true);
    rmSync(join(dir, 'out-2'), { recursive: true });
    await cli(['build', '--no-pdf', '--quiet', '--shard', '2/3', '--out', 'out-2'], dir);
    expect(deckFolders(join(dir, 'out-2'))).toEqual(shards[1]);

    // The CI's last step: the shards' folders put together, then one index.
    const merged = join(dir, 'site');
    for (const k of [1, 2, 3]) cpSync(join(dir, `out-${k}`), merged, { recursive: true });
    const index = await cli(['index', '--out', 'site'], dir);
    expect(index.stderr).toBe('');
    expect(index.code).toBe(0);
    expect(index.stdout).toBe('index of 12 decks -> site/index.html\n');
    const html = readFileSync(join(merged, 'index.html'), 'utf8');
    for (let i = 1; i <= 12; i++) expect(html).toContain(`Talk ${i}<`);
  });

  it('refuses a shard that is not k/n with 1 ≤ k ≤ n, and an index of nothing', async () => {
    const dir = makeProject(decks);
    for (const bad of ['0/3', '4/3', '2', 'a/b', '1/0']) {
      const run = await cli(['build', '--no-pdf', '--shard', bad], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`error[USAGE]: --shard takes k/n with 1 ≤ k ≤ n, not "${bad}"`);
    }
    const none = await cli(['index', '--out', 'nowhere'], dir);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('nowhere does not exist: there is nothing to index');
  });
});

describe('an incremental build', () => {
  const json = async (args: string[], dir: string) => {
    const run = await cli([...args, '--json'], dir);
    expect(run.stderr).toBe('');
    return (JSON.parse(run.stdout).decks as { name: string; unchanged?: boolean }[])
      .filter((d) => !d.unchanged)
      .map((d) => d.name)
      .sort();
  };

  it('builds again only the decks whose inputs changed, and says how many it skipped', async () => {
    const dir = makeProject({
      ...Object.fromEntries(Object.entries(decks).slice(0, 4)),
      'decks/images/chart.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
      'decks/talk-4.md': '---\ntitle: Talk 4\n---\n\n## With a picture\n\n![A chart](images/chart.svg)\n',
    });
    expect(await json(['build', '--no-pdf'], dir)).toEqual(['talk-1', 'talk-2', 'talk-3', 'talk-4']);
    const again = await cli(['build', '--no-pdf'], dir);
    expect(again.stdout).toMatch(/^4 decks \(4 unchanged, skipped; --force builds them\) in \d+ ms, 0 warnings$/m);
    expect(again.stdout).toContain('unchanged decks/talk-1.md -> dist/talk-1/index.html (2 slides)');

    writeFileSync(join(dir, 'decks/talk-2.md'), '---\ntitle: Talk 2, revised\n---\n\n## New\n');
    expect(await json(['build', '--no-pdf'], dir)).toEqual(['talk-2']);
    expect(readFileSync(join(dir, 'dist/talk-2/index.html'), 'utf8')).toContain('Talk 2, revised');

    // An image the deck carries counts by its content.
    writeFileSync(
      join(dir, 'decks/images/chart.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"/>',
    );
    expect(await json(['build', '--no-pdf'], dir)).toEqual(['talk-4']);
    expect(readFileSync(join(dir, 'dist/talk-4/images/chart.svg'), 'utf8')).toContain('width="20"');

    // A built page changed by hand is built again; so is a deck missing a file it carries, or
    // one cut short; and everything under other options.
    writeFileSync(join(dir, 'dist/talk-3/index.html'), 'tampered');
    expect(await json(['build', '--no-pdf'], dir)).toEqual(['talk-3']);
    rmSync(join(dir, 'dist/talk-4/images/chart.svg'));
    writeFileSync(join(dir, 'dist/talk-1/_lectern/reveal/reveal.js'), '');
    expect(await json(['build', '--no-pdf'], dir)).toEqual(['talk-1', 'talk-4']);
    expect(readFileSync(join(dir, 'dist/talk-4/images/chart.svg'), 'utf8')).toContain('width="20"');
    expect(await json(['build', '--no-pdf', '--template', 'keynote'], dir)).toEqual([
      'talk-1',
      'talk-2',
      'talk-3',
      'talk-4',
    ]);
    expect(await json(['build', '--no-pdf', '--template', 'keynote', '--force'], dir)).toEqual([
      'talk-1',
      'talk-2',
      'talk-3',
      'talk-4',
    ]);
    expect(await json(['build', '--no-pdf', '--template', 'keynote'], dir)).toEqual([]);
  });
});

describe('what sharded and incremental builds refuse', () => {
  it('two decks that share a folder clash in every shard that builds one of them', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n', 'decks/a.qmd': '## A too\n' });
    for (const k of [1, 2]) {
      const run = await cli(['build', '--no-pdf', '--shard', `${k}/2`], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('error[DECK_NAME_CLASH]: two decks would be written to a/');
    }
  });

  it('a deck file named like what Lectern writes into the deck folder is refused, not overwritten', async () => {
    for (const name of ['thumbnail.png', 'talk.pdf', 'talk-notes.pdf', 'talk.pptx', 'slides/001.png']) {
      const dir = makeProject({
        'decks/talk.md': `## Talk\n\n![A picture](${name})\n`,
        [`decks/${name}`]: Buffer.from(
          'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
          'base64',
        ),
      });
      const run = await cli(['build', '--no-pdf'], dir);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain(`"${name}" uses a name Lectern reserves for the built deck`);
      expect(run.stderr).toContain(
        'thumbnail.png, talk.pdf, talk-notes.pdf, talk-fragments.pdf, talk-notes-fragments.pdf, talk-handout.pdf, talk-annotated.pdf, talk-notes-annotated.pdf, talk-fragments-annotated.pdf, talk-notes-fragments-annotated.pdf, talk.pptx, slides/',
      );
    }
  });

  it('lectern index refuses a deck folder: its index.html is the deck', async () => {
    const dir = makeProject({ 'decks/a.md': '## A\n' });
    expect((await cli(['build', '--no-pdf', '--quiet'], dir)).code).toBe(0);
    const page = readFileSync(join(dir, 'dist/a/index.html'), 'utf8');
    const run = await cli(['index', '--out', 'dist/a'], dir);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("is a deck's folder, not an output folder");
    expect(readFileSync(join(dir, 'dist/a/index.html'), 'utf8')).toBe(page);
  });
});
