import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';

// Code longer than a slide holds at the template's size, built and printed for real.
const browserPath = browserForTests('code fit tests');

const code = (n: number) =>
  Array.from({ length: n }, (_, i) => `const value${i} = compute(${i}, "some text");`).join('\n');
const block = (n: number) => `\`\`\`js\n${code(n)}\n\`\`\``;

describe.skipIf(!browserPath)('code that fits', () => {
  it('a block too tall sets its own type smaller down to a floor; past it the warning counts the lines; fit: shrink takes the rest', async () => {
    const dir = makeProject({
      'decks/c.md': `## Twenty lines\n\n${block(20)}\n\n## Forty lines\n\n${block(40)}\n\n## Short\n\n${block(3)}\n\n## Forty, shrink\n\n<!-- fit: shrink -->\n\n${block(40)}\n`,
    });
    const run = await cli(['build', '--check'], dir);
    expect(run.code, run.stderr).toBe(0);
    const out = `${run.stdout}${run.stderr}`;
    // Twenty lines fit once the block's type is smaller: no warning for slide 1 (or 3).
    expect(out).not.toMatch(/slide 1 "Twenty lines"/);
    expect(out).not.toMatch(/slide 3 "Short"/);
    // Forty do not, even at the floor: how many do is said, and what to do.
    expect(out).toMatch(
      /slide 2 "Forty lines": a code block is cut off by \d+px at the bottom \(\d+%\): (2[0-9]) of its 40 lines fit, at the smallest size code is set in/,
    );
    expect(out).toContain('light its lines in steps');
    // With fit: shrink the whole slide is scaled, code and all: nothing cut off, the shrink said.
    expect(out).not.toMatch(/slide 4 "Forty, shrink": a code block is cut off/);
    expect(out).toMatch(/SLIDE_SHRUNK\]: slide 4 "Forty, shrink" is shrunk to \d+%/);
    // The PDF: every line of slides 1 and 4 is on its page, slide 3's at the template's size.
    const pdf = join(dir, 'dist/c/c.pdf');
    const page = (n: number) =>
      spawnSync('pdftotext', ['-f', String(n), '-l', String(n), pdf, '-'], { encoding: 'utf8' }).stdout;
    expect(page(1)).toContain('const value19 = compute(19');
    expect(page(4)).toContain('const value39 = compute(39');
    expect(page(2)).not.toContain('const value39');
  });
});
