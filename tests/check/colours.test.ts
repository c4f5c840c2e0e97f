import { describe, expect, it } from 'vitest';
import { cli, makeProject } from '../helpers/fs.js';

/** The COLOR_CONTRAST lines a run printed. */
const contrastLines = (out: string): string[] => out.split('\n').filter((l) => l.includes('[COLOR_CONTRAST]'));

describe('colour contrast known without a browser, on every build', () => {
  it("a deck's theme colours that cannot be read together are told at the theme line, once per pair", async () => {
    const dir = makeProject({
      'decks/talk.md': '---\ntitle: T\ntheme:\n  accent: "#ffee00"\n---\n\n## One\n\nText\n',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    const lines = contrastLines(run.stdout + run.stderr);
    // Links in the accent on the page, and white section text on an accent fill (its rules are the same white).
    expect(lines).toEqual([
      "decks/talk.md:4:3: warning[COLOR_CONTRAST]: the theme's accent (links) #ffee00 on the slide background #fbfaf7 has contrast 1.15:1, below the 4.5:1 WCAG AA asks for",
      "decks/talk.md:4:3: warning[COLOR_CONTRAST]: the theme's section text #ffffff on a section slide #ffee00 has contrast 1.20:1, below the 4.5:1 WCAG AA asks for",
    ]);
    expect(run.code).toBe(0);
  });

  it('a slide background too close to the midpoint for either text colour is told at its slide; readable ones are not', async () => {
    const dir = makeProject({
      'decks/talk.md': [
        '## Grey',
        '<!-- .slide: data-background-color="#777777" -->',
        '## Teal',
        '<!-- .slide: data-background-color="#0b6e6e" -->',
        '## Pale',
        '<!-- .slide: data-background-color="hsl(180 30% 95%)" -->',
        '## Picture',
        '<!-- .slide: data-background-image="missing.png" data-background-color="rgba(0,0,0,0)" -->',
        '## Off',
        '<!-- .slide: data-background-color="#808080" -->',
        '<!-- check-ignore: color-contrast -->',
      ].join('\n\n'),
    });
    const run = await cli(['build', '--no-pdf'], dir);
    const lines = contrastLines(run.stdout + run.stderr);
    expect(lines).toEqual([
      'decks/talk.md:1:1: warning[COLOR_CONTRAST]: slide 1 "Grey": on its dark background #777777 the template\'s muted text for dark backgrounds, #e1e5ea, has contrast 3.54:1, below the 4.5:1 WCAG AA asks for',
    ]);
    expect(run.stdout + run.stderr).toContain(
      "hint: choose a darker background (Reveal.js calls it dark by its brightness, and the slide takes the template's dark-background colours), or set --lectern-dark-muted in the template's :root",
    );
  });

  it('is a rule like the others: `checks: color-contrast: error` fails the build, `off` silences it', async () => {
    const deck = (rule: string): string =>
      `---\nchecks:\n  color-contrast: ${rule}\n---\n\n## Grey\n\n<!-- .slide: data-background-color="#777777" -->\n`;
    const failing = await cli(['build', '--no-pdf'], makeProject({ 'decks/talk.md': deck('error') }));
    expect(contrastLines(failing.stdout + failing.stderr)[0]).toMatch(/^decks\/talk\.md:6:1: error\[COLOR_CONTRAST\]/);
    expect(failing.code).toBe(1);
    const quiet = await cli(['build', '--no-pdf'], makeProject({ 'decks/talk.md': deck('off') }));
    expect(contrastLines(quiet.stdout + quiet.stderr)).toEqual([]);
    expect(quiet.code).toBe(0);
  });
});
