import { describe, expect, it } from 'vitest';
import { browserForTests, hasNotoFonts } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';

const browserPath = browserForTests('glyph tests');

/** A deck in three scripts, with emoji: what a conference in Shanghai or Seoul brings. */
const deck = `---
title: Open models
lang: zh
---

## 开源模型 :rocket:

- 任何人都可以运行它 🎉
- Доступ для всех
- Plain Latin text

## English only

- Nothing but ASCII here
`;

describe.skipIf(!browserPath)('characters no font draws', () => {
  it.skipIf(!hasNotoFonts && !process.env.CI)(
    'are none with the built-in template on a machine with the Noto fonts',
    async () => {
      const dir = makeProject({ 'decks/zh.md': deck });
      const run = await cli(['check'], dir);
      expect(run.stdout + run.stderr).not.toContain('MISSING_GLYPHS');
      expect(run.code).toBe(0);
    },
  );

  it('are reported at their slide, named, with a fix, for a template whose fonts lack them', async () => {
    const dir = makeProject({
      'decks/zh.md': deck,
      'lectern.config.yaml': 'template: latin\n',
      'templates/latin/template.yaml': 'name: latin\nextends: default\n',
      // One Latin (and Cyrillic) font, and no generic family to leave the rest to the system.
      'templates/latin/assets/theme.css':
        ":root { --lectern-font: 'DejaVu Sans'; --lectern-heading-font: 'DejaVu Sans'; --lectern-mono: 'DejaVu Sans Mono'; }\n",
    });
    const run = await cli(['check'], dir);
    const lines = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('MISSING_GLYPHS'));
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^decks\/zh\.md:6:1: warning\[MISSING_GLYPHS\]: slide 2 "开源模型 🚀": no font draws /);
    for (const c of ['开 U+5F00', '🚀 U+1F680', '任 U+4EFB']) expect(lines[0]).toContain(c);
    // Twelve are named; the slide has fifteen (🎉 among the rest).
    expect(lines[0]).toContain(' and 3 more;');
    // Cyrillic is in the font the template names; Latin is never in question.
    expect(lines[0]).not.toContain('Д');
    expect(lines[0]).toContain('(fonts: "DejaVu Sans")');
    expect(run.stdout + run.stderr).toContain('apt-get install fonts-noto-cjk fonts-noto-color-emoji');
    // The PDF export finds them too, in the page it prints.
    const build = await cli(['build'], dir);
    expect(build.code, build.stderr).toBe(0);
    const printed = `${build.stdout}${build.stderr}`.split('\n').filter((l) => l.includes('MISSING_GLYPHS'));
    expect(printed.length).toBe(1);
    expect(printed[0]).toMatch(
      /^decks\/zh\.md:6:1: warning\[MISSING_GLYPHS\]: slide 2 "开源模型 🚀": no font draws 开 U\+5F00/,
    );
    expect(printed[0]).toMatch(/in the PDF$/);
  });
});
