import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkContent, measureText, type LinkTarget } from '../../src/check/content.js';
import { resolveRules, rules } from '../../src/config/check-rules.js';
import { errorOf, modelOf } from '../helpers/deck.js';
import { cli, hashTree, makeProject } from '../helpers/fs.js';

/** The content findings of literal Markdown; local links resolve against `files`. */
function findingsOf(markdown: string, files: Record<string, LinkTarget> = {}) {
  const deck = modelOf(markdown);
  return checkContent({ deck, linkTarget: (path) => files[path] ?? 'missing' });
}

const codes = (markdown: string, files?: Record<string, LinkTarget>): string[] =>
  findingsOf(markdown, files).map((f) => f.code);

describe('rules', () => {
  it('every rule has a distinct code, a default severity and a description', () => {
    const all = Object.values(rules);
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
    for (const rule of all) {
      expect(['off', 'warning', 'error']).toContain(rule.severity);
      expect(rule.about.length).toBeGreaterThan(10);
    }
  });

  it('applies severities and limits layer by layer', () => {
    const active = resolveRules({ 'max-words': { limit: 10 }, 'duplicate-title': { severity: 'error' } });
    expect(active['max-words']).toMatchObject({ severity: 'warning', limit: 10 });
    expect(active['duplicate-title']).toMatchObject({ severity: 'error', code: 'TITLE_DUPLICATE' });
    expect(active['notes-missing'].severity).toBe('off');
  });
});

describe('content checks', () => {
  it('finds an empty slide, and not a section or a slide with a background', () => {
    const found = findingsOf(
      '## One\n\nText\n\n---\n\n---\n\n<!-- .slide: data-background-color="#123456" -->\n\n# Part two\n',
    );
    expect(found.filter((f) => f.code === 'SLIDE_EMPTY')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        rule: 'slide-empty',
        message: 'slide 2 is empty',
        pos: { file: 'deck.md', line: 5, column: 1 },
      }),
    ]);
  });

  it('counts list items and words against their limits', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `- item ${i + 1}`).join('\n');
    const seven = Array.from({ length: 7 }, (_, i) => `- item ${i + 1}`).join('\n');
    expect(findingsOf(`## Many\n\n${eight}\n`).find((f) => f.code === 'SLIDE_TOO_MANY_BULLETS')?.message).toBe(
      'slide 1 "Many" has 8 list items (limit 7)',
    );
    expect(codes(`## Seven\n\n${seven}\n`)).not.toContain('SLIDE_TOO_MANY_BULLETS');
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
    expect(findingsOf(`## Wordy\n\n${words(60)}\n`).find((f) => f.code === 'SLIDE_TOO_MANY_WORDS')?.message).toBe(
      'slide 1 "Wordy" has 61 words (limit 60)',
    );
    expect(codes(`## Fine\n\n${words(59)}\n`)).not.toContain('SLIDE_TOO_MANY_WORDS');
    // Code is not read out word by word; notes are not on the slide.
    expect(codes(`## Code\n\n\`\`\`js\n${words(200)}\n\`\`\`\n\nNote:\n${words(200)}\n`)).not.toContain(
      'SLIDE_TOO_MANY_WORDS',
    );
  });

  it('measures words and bullets as the audience sees them', () => {
    expect(
      measureText(
        '<h2>A title</h2><ul><li>one <em>two</em></li><li>three &amp; four</li></ul><pre><code>x y z</code></pre>',
      ),
    ).toEqual({ bullets: 2, words: 6 });
  });

  it('asks for notes only when the deck turns the rule on, and not on title or section slides', () => {
    const deck = '## With\n\nText\n\nNote:\nSay this.\n\n## Without\n\nText\n';
    expect(codes(deck)).not.toContain('NOTES_MISSING');
    const asked = findingsOf(`---\ntitle: Talk\nchecks:\n  notes-missing: error\n---\n\n# Part\n\n${deck}`).filter(
      (f) => f.code === 'NOTES_MISSING',
    );
    expect(asked).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'slide 4 "Without" has no speaker notes',
        pos: expect.objectContaining({ line: 16 }),
      }),
    ]);
  });

  it('reports a duplicate title at the second slide, naming the first', () => {
    const found = findingsOf('## Results\n\nOne\n\n## Method\n\nTwo\n\n## results \n\nThree\n').filter(
      (f) => f.code === 'TITLE_DUPLICATE',
    );
    expect(found).toEqual([
      expect.objectContaining({
        message: 'slide 3 "results" has the same title as the slide at line 1',
        pos: expect.objectContaining({ line: 9 }),
      }),
    ]);
    expect(codes('## One\n\nA\n\n## Two\n\nB\n')).not.toContain('TITLE_DUPLICATE');
  });

  it('checks links to slides by index and by id, with the column of the link', () => {
    const deck = [
      '## Start',
      '',
      'See [next](#/1), [below](#/1/1), [the id](#/results), [step](#/1/0/0) and [far](#/7).',
      '',
      '## Second',
      '',
      '+ a step',
      '',
      '----',
      '',
      '## Below',
      '',
      '<!-- .slide: id="results" -->',
      '',
      'Text [gone](#/nothing-here) and [too deep](#/1/2) and [step](#/1/0/1)',
    ].join('\n');
    const found = findingsOf(deck).filter((f) => f.code === 'LINK_SLIDE_MISSING');
    const lines = deck.split('\n');
    const at = (line: number, text: string): [number, number] => [line, lines[line - 1]!.indexOf(text) + 1];
    expect(found.map((f) => [f.pos.line, f.pos.column, f.message])).toEqual([
      [...at(3, '[far]'), 'link to #/7: the deck has 2 horizontal slides (0 to 1)'],
      [...at(15, '[gone]'), 'link to #/nothing-here: no slide has the id "nothing-here"'],
      [...at(15, '[too deep]'), 'link to #/1/2: slide 1 has 2 vertical slides (0 to 1)'],
      [...at(15, '[step]'), 'link to #/1/0/1: that slide has 1 fragment'],
    ]);
    // Another tool builds a deck with a broken link: a warning (--strict makes it an error).
    expect(found.every((f) => f.severity === 'warning')).toBe(true);
    expect(found[1]!.hint).toContain('ids in this deck: results');
  });

  it('checks local links to files, and leaves web and mail links alone', () => {
    const deck =
      '## Links\n\n[a](handout.pdf) [b](gone.pdf) [c](../secret.txt) [d](https://example.invalid/x) [e](mailto:a@example.invalid) [f](notes/) [g](handout.pdf#page=2) [h](../other/)\n';
    const found = findingsOf(deck, {
      'handout.pdf': 'file',
      '../secret.txt': 'outside',
      'notes/': 'folder',
      '../other/': 'deck',
    }).filter((f) => f.code === 'LINK_FILE_MISSING');
    expect(found.map((f) => f.message)).toEqual([
      'link to "gone.pdf": no such file beside the deck',
      'link to "../secret.txt" leaves the deck\'s folder and will not be in the built deck',
      'link to "notes/" is a folder, and folders are not copied with the deck',
    ]);
    const line = deck.split('\n')[2]!;
    expect(found.map((f) => f.pos.column)).toEqual(['[b]', '[c]', '[f]'].map((text) => line.indexOf(text) + 1));
  });

  it('finds images without alternative text, in Markdown and in HTML', () => {
    const found = findingsOf(
      '---\nhtml: unsafe\n---\n\n## Pictures\n\n![](a.png) ![a chart](b.png)\n\n<img src="c.png">\n\n<img src="d.png" alt="">\n',
    ).filter((f) => f.code === 'IMAGE_ALT');
    expect(found.map((f) => [f.message, f.pos.line])).toEqual([
      ['image "a.png" has no alternative text', 7],
      ['image "c.png" has no alternative text', 9],
    ]);
  });

  it('turns a rule off or raises it from front matter', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `- item ${i + 1}`).join('\n');
    expect(codes(`---\nchecks:\n  max-bullets: off\n---\n\n## Many\n\n${eight}\n`)).not.toContain(
      'SLIDE_TOO_MANY_BULLETS',
    );
    expect(codes(`---\nchecks:\n  max-bullets: false\n---\n\n## Many\n\n${eight}\n`)).not.toContain(
      'SLIDE_TOO_MANY_BULLETS',
    );
    const raised = findingsOf(
      `---\nchecks:\n  max-bullets: { severity: error, limit: 3 }\n---\n\n## Four\n\n- a\n- b\n- c\n- d\n`,
    );
    expect(raised).toEqual([
      expect.objectContaining({
        code: 'SLIDE_TOO_MANY_BULLETS',
        severity: 'error',
        message: 'slide 1 "Four" has 4 list items (limit 3)',
      }),
    ]);
  });

  it('turns rules off for one slide with a check-ignore comment', () => {
    const eight = Array.from({ length: 8 }, (_, i) => `- item ${i + 1}`).join('\n');
    const deck = `## Dense on purpose\n\n<!-- check-ignore: max-bullets, duplicate-title -->\n\n${eight}\n\n## Dense\n\n${eight}\n\n[x](#/9)\n`;
    const found = findingsOf(deck);
    expect(found.map((f) => [f.code, f.pos.line])).toEqual([
      ['SLIDE_TOO_MANY_BULLETS', 14],
      ['LINK_SLIDE_MISSING', 25],
    ]);
    const slide = modelOf(deck).stacks[0]!.slides[0]!;
    expect(slide.checksOff).toEqual(['max-bullets', 'duplicate-title']);
    expect(slide.body).not.toContain('check-ignore');
    const unknown = errorOf(() => modelOf('## A\n\n  <!-- check-ignore: max-bullet -->\n'));
    expect(unknown).toMatchObject({
      code: 'DIRECTIVE_INVALID',
      message: 'unknown check rule "max-bullet" in check-ignore (did you mean "max-bullets"?)',
      pos: { line: 3, column: 3 },
    });
  });

  it('names an unknown rule or a bad setting where it is written, and drops it', () => {
    const unknown = modelOf('---\nchecks:\n  max-word: off\n---\n\n## A\n').warnings.find(
      (w) => w.code === 'OPTION_IGNORED',
    )!;
    expect(unknown).toMatchObject({
      message: 'unknown option "checks.max-word" is ignored (did you mean "max-words"?)',
      pos: { line: 3, column: 3 },
    });
    expect(unknown.hint).toContain('max-words');
    const bad = modelOf('---\nchecks:\n  max-words: loud\n---\n\n## A\n');
    expect(bad.warnings.find((w) => w.code === 'OPTION_IGNORED')).toMatchObject({ pos: { line: 3 } });
    expect(bad.options.checks).toEqual({});
  });
});

describe('content checks in the build', () => {
  const eight = Array.from({ length: 8 }, (_, i) => `- item ${i + 1}`).join('\n');

  it('prints warnings and builds; an error finding fails the build and writes nothing', async () => {
    const dir = makeProject({ 'decks/talk.md': `## Many\n\n${eight}\n` });
    const warned = await cli(['build', '--no-pdf'], dir);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      'decks/talk.md:1:1: warning[SLIDE_TOO_MANY_BULLETS]: slide 1 "Many" has 8 list items (limit 7)',
    );
    const before = hashTree(`${dir}/dist`);
    writeFileSync(`${dir}/decks/talk.md`, `## Many\n\n${eight}\n\nSee [the end](#/4).\n`);
    const failed = await cli(['build', '--no-pdf', '--strict'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'decks/talk.md:12:5: error[LINK_SLIDE_MISSING]: link to #/4: the deck has 1 horizontal slide',
    );
    expect(hashTree(`${dir}/dist`)).toBe(before);
  });

  it("takes project-wide settings from the config file, under the deck's own", async () => {
    const dir = makeProject({
      'lectern.config.yaml': 'checks:\n  max-bullets: { severity: error, limit: 5 }\n',
      'decks/strict.md': '## Six\n\n- a\n- b\n- c\n- d\n- e\n- f\n',
      'decks/relaxed.md': '---\nchecks:\n  max-bullets: { limit: 10 }\n---\n\n## Six\n\n- a\n- b\n- c\n- d\n- e\n- f\n',
    });
    const run = await cli(['check', '--no-browser'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'decks/strict.md:1:1: error[SLIDE_TOO_MANY_BULLETS]: slide 1 "Six" has 6 list items (limit 5)',
    );
    expect(run.stdout).toContain('decks/relaxed.md: no problems');
    expect(run.stdout).toMatch(/2 decks checked in \d+ ms: 1 error, 0 warnings — failed/);
  });

  it('copies local files the slides link to, so the links work in the built deck; links to sibling decks pass', async () => {
    const dir = makeProject({
      'decks/talk.md': '## Links\n\n[the handout](files/handout.txt) and [the other talk](../other/)\n',
      'decks/files/handout.txt': 'handout text\n',
      'decks/other.md': '## Other\n\nBack to [the talk](../talk/index.html); not to [a third](../third/).\n',
    });
    const warned = await cli(['build', '--no-pdf'], dir);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      'decks/other.md:3:48: warning[LINK_FILE_MISSING]: link to "../third/" leaves the deck\'s folder',
    );
    // The link is kept as written.
    expect(readFileSync(`${dir}/dist/other/index.html`, 'utf8')).toContain('href="../third/"');
    const failed = await cli(['build', '--no-pdf', '--strict'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'decks/other.md:3:48: error[LINK_FILE_MISSING]: link to "../third/" leaves the deck\'s folder',
    );
    writeFileSync(`${dir}/decks/other.md`, '## Other\n\nBack to [the talk](../talk/index.html).\n');
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(0);
    expect(readFileSync(`${dir}/dist/talk/files/handout.txt`, 'utf8')).toBe('handout text\n');
  });

  it('check reports a deck that does not build in its own group, checks the others, and writes nothing', async () => {
    const dir = makeProject({
      'decks/broken.md': '## A\n\n<!-- layout: triptych -->\n',
      'decks/fine.md': '## Fine\n\nText.\n',
      'decks/busy.md': '## Same\n\nA\n\n## Same\n\nB\n',
    });
    const run = await cli(['check', '--no-browser'], dir);
    expect(run.code).toBe(1);
    expect(
      run.stdout.startsWith(
        'decks/broken.md: 1 error\ndecks/broken.md:3:1: error[LAYOUT_UNKNOWN]: unknown layout "triptych"',
      ),
    ).toBe(true);
    expect(run.stdout.split('\n').filter((l) => /^decks\/\w+\.md: /.test(l))).toEqual([
      'decks/broken.md: 1 error',
      'decks/busy.md: 1 warning',
      'decks/fine.md: no problems',
    ]);
    expect(run.stdout).toContain('decks/busy.md:5:1: warning[TITLE_DUPLICATE]');
    expect(run.stdout).toMatch(/3 decks checked in \d+ ms: 1 error, 1 warning — failed\n$/);
    const json = JSON.parse((await cli(['check', '--no-browser', '--json'], dir)).stdout);
    expect(json.decks.map((d: { file: string }) => d.file)).toEqual([
      'decks/broken.md',
      'decks/busy.md',
      'decks/fine.md',
    ]);
    expect(json.decks[0].errors[0]).toMatchObject({
      code: 'LAYOUT_UNKNOWN',
      pos: { file: 'decks/broken.md', line: 3, column: 1 },
      exitCode: 1,
    });
    expect(json.decks[1].findings[0]).toMatchObject({
      rule: 'duplicate-title',
      code: 'TITLE_DUPLICATE',
      severity: 'warning',
      file: 'decks/busy.md',
      line: 5,
      column: 1,
    });
    expect(json).toMatchObject({ errors: 1, warnings: 1, strict: false, exitCode: 1 });
    expect(existsSync(`${dir}/dist`)).toBe(false);
  });
});
