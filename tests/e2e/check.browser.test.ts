import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { listTemplates } from '../../src/render/load-template.js';
import { browserForTests } from '../helpers/browser.js';
import { cli, hashTree, makeProject, repoRoot } from '../helpers/fs.js';

// `lectern check` in real Chromium, on decks whose problems are known to the pixel.
const browserPath = browserForTests('check tests');

/**
 * A template with geometry simple enough to compute by hand: no padding or margins, every line
 * 50px high, titles on a line of their own, code 20px JetBrains Mono (12px a character) in a
 * 1000px box.
 */
const measuredTemplate = {
  'templates/measured/template.yaml':
    'name: measured\ndescription: fixed geometry for overflow tests\nextends: default\n',
  'templates/measured/assets/theme.css': [
    '.reveal .slides section { padding: 0 !important; font-size: 40px !important; }',
    '.reveal .slides section * { margin: 0 !important; padding: 0 !important; border: 0 !important; line-height: 50px !important; }',
    '.reveal .slides section h2 { display: block !important; }',
    '.reveal .slides section img { max-height: none !important; max-width: none !important; display: block; }',
    '.reveal .slides section pre { width: 1000px !important; }',
    '.reveal .slides section pre code { font-size: 20px !important; max-height: none !important; line-height: 30px !important; }',
  ].join('\n'),
};

const lines = (n: number, word: string, prefix = ''): string =>
  Array.from({ length: n }, (_, i) => `${prefix}${word} ${i + 1}`).join(prefix ? '\n' : '\n\n');

/** 720px of slide: the title line (50px) plus N lines of 50px overflows by 50 + 50N - 720. */
const overflowing = `---
template: measured
checks:
  max-bullets: off
---

## Text

${lines(16, 'Paragraph')}

## List

${lines(20, 'item', '- ')}

## Tall

Above the bar

![a bar 1100px tall](tall.svg)

## Code

\`\`\`text
${'x'.repeat(150)}
\`\`\`

## Steps

${lines(15, 'step', '+ ')}

## Fits

${lines(13, 'Paragraph')}
`;

/** Where a slide starts in a deck's source. */
const lineOf = (source: string, heading: string): number => source.split('\n').indexOf(heading) + 1;

/** A PNG of the given size, noise so it does not compress to nothing. */
function png(width: number, height: number): Uint8Array {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer): number => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width * 3; x++) rows[y * (width * 3 + 1) + 1 + x] = (x * 13 + y * 7) & 0xff;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type Finding = {
  rule: string;
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
};
type Report = {
  decks: { file: string; findings: Finding[]; errors: unknown[] }[];
  errors: number;
  warnings: number;
  exitCode: number;
};

describe.skipIf(!browserPath)('lectern check in the browser', () => {
  const accessible = `---
title: Readable
---

## Pictures

![a photo of noise](img/photo.png)

## Levels

### A step down

Text under it.
`;
  const inaccessible = `---
title: Unreadable
html: unsafe
theme:
  text: '#bbbbbb'
---

## Pictures

A photo, far too large:

<img src="img/big.png" alt="noise" width="300">

## Broken

![a damaged picture](img/broken.png)

## Levels

#### Two steps down

Some <span style="color:#e0e0e0">faint words</span> here.
`;
  let dir: string;
  let report: Report;
  let code: number;
  const deck = (name: string) => report.decks.find((d) => d.file === `decks/${name}.md`)!;

  beforeAll(async () => {
    const layout = readFileSync(join(repoRoot, 'templates/default/layout.hbs'), 'utf8');
    dir = makeProject({
      ...measuredTemplate,
      'templates/nolang/template.yaml': 'name: nolang\ndescription: forgets the lang attribute\nextends: default\n',
      'templates/nolang/layout.hbs': layout.replace(' lang="{{deck.meta.lang}}"', ''),
      // A mark on every slide without alt text: only axe-core, in the page, can see it.
      'templates/nolang/partials/footer.hbs': '<img class="mark" src="{{asset "mark.svg"}}" width="40" height="40">',
      'templates/nolang/assets/mark.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><circle cx="20" cy="20" r="18" fill="#0b6e6e"/></svg>',
      'decks/over.md': overflowing,
      'decks/tall.svg':
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="1100"><rect width="100" height="1100" fill="#345"/></svg>',
      'decks/clean.md': `---\ntemplate: measured\n---\n\n## Fits\n\n${lines(13, 'Paragraph')}\n\n## Wide but wrapped\n\n${'word '.repeat(40)}\n\n## Long on purpose\n\n<!-- check-ignore: slide-overflow -->\n\n${lines(20, 'Paragraph')}\n`,
      'decks/accessible.md': accessible,
      'decks/inaccessible.md': inaccessible,
      'decks/img/photo.png': png(640, 480),
      'decks/img/big.png': png(2400, 1600),
      'decks/img/broken.png': 'this is not a picture',
      'decks/nolang.md': '---\ntemplate: nolang\n---\n\n## Hello\n\nText.\n',
    });
    const run = await cli(['check', '--json', '--browser-path', browserPath!], dir);
    code = run.code;
    report = JSON.parse(run.stdout) as Report;
  });

  it('reports each overflowing slide at its line, by the amount computed from the geometry, naming the first line off the slide', () => {
    const found = deck('over').findings.filter((f) => f.code === 'SLIDE_OVERFLOW');
    const amount = (f: Finding): number => Number(/by (\d+)px/.exec(f.message)![1]);
    const at = (text: string): Finding[] => found.filter((f) => f.line === lineOf(overflowing, text));
    // Where each finding stands, its true amount, and the first source line past the slide's edge.
    const expected: [string, number, string | null][] = [
      ['## Text', 50 + 16 * 50 - 720, 'Paragraph 14'],
      ['## List', 50 + 20 * 50 - 720, '- item 14'],
      ['## Tall', 50 + 50 + 1100 - 720, '![a bar 1100px tall](tall.svg)'],
      ['```text', 150 * 12 - 1000, null],
      ['## Steps', 50 + 15 * 50 - 720, '+ step 14'],
    ];
    for (const [where, truth, firstOff] of expected) {
      const [finding, ...more] = at(where);
      expect(more, where).toEqual([]);
      expect(finding, where).toBeDefined();
      expect(Math.abs(amount(finding!) - truth), `${where}: ${finding!.message}`).toBeLessThanOrEqual(3);
      expect(finding!.column).toBe(1);
      expect(finding!.severity).toBe('warning');
      if (firstOff)
        expect(finding!.message, where).toMatch(
          new RegExp(`: line ${lineOf(overflowing, firstOff)} on is off the slide$`),
        );
    }
    expect(at('## Text')[0]!.message).toMatch(
      /^slide 1 "Text" overflows by 1[23]\dpx \(18%\): line \d+ on is off the slide$/,
    );
    expect(at('```text')[0]!.message).toMatch(
      /^slide 4 "Code": a code block is cut off by \d+px sideways \(80%\); it scrolls on screen and is clipped in the PDF$/,
    );
    // The list of steps fits until its 14th step is shown.
    expect(at('## Steps')[0]!.message).toContain('from fragment 14 of 15 on');
    expect(at('## Fits')).toEqual([]);
    expect(found).toHaveLength(5);
  });

  it('reports nothing for a deck that fits', () => {
    expect(deck('clean')).toMatchObject({ findings: [], errors: [] });
  });

  it('finds contrast, alt text, heading order, oversized and broken images, and maps them to lines', () => {
    const found = deck('inaccessible').findings;
    const of = (code: string): Finding[] => found.filter((f) => f.code === code);
    expect(of('COLOR_CONTRAST').length).toBeGreaterThan(0);
    // A colour of its own is a finding of its own, at the paragraph it is in.
    expect(of('COLOR_CONTRAST').filter((f) => f.message.includes('#e0e0e0'))).toEqual([
      expect.objectContaining({
        line: lineOf(inaccessible, 'Some <span style="color:#e0e0e0">faint words</span> here.'),
        message: expect.stringContaining('slide 4 "Levels": "faint words" has contrast'),
      }),
    ]);
    expect(of('COLOR_CONTRAST')[0]!.message).toMatch(
      /has contrast 1\.\d+:1 \(#bbbbbb on #[0-9a-f]{6}\), below the (3|4\.5):1 WCAG AA asks for/,
    );
    expect(of('HEADING_ORDER')).toEqual([
      expect.objectContaining({
        line: lineOf(inaccessible, '#### Two steps down'),
        message: 'slide 4 "Levels": heading jumps from h2 "Levels" to h4 "Two steps down"',
      }),
    ]);
    expect(of('IMAGE_OVERSIZED')).toEqual([
      expect.objectContaining({
        line: lineOf(inaccessible, '<img src="img/big.png" alt="noise" width="300">'),
        message: expect.stringMatching(
          /image "img\/big\.png" is 2400×1600 px \(\d+ kB\) but shown at 300×200 \(8\.0× larger than needed\)/,
        ),
      }),
    ]);
    expect(of('IMAGE_BROKEN')).toEqual([
      expect.objectContaining({
        severity: 'error',
        line: lineOf(inaccessible, '![a damaged picture](img/broken.png)'),
        column: 1,
        message: 'slide 3 "Broken": image "img/broken.png" does not load',
      }),
    ]);
    expect(code).toBe(1);
  });

  it('finds nothing in a deck that does the same things well', () => {
    expect(deck('accessible')).toMatchObject({ findings: [], errors: [] });
  });

  it("finds what a template leaves out: the page language, an image's alt text (in the page and in its PDF)", () => {
    expect(deck('nolang').findings.map((f) => [f.code, f.line])).toEqual([
      ['LANG_MISSING', 1],
      ['IMAGE_ALT', 5],
      ['PDF_ACCESSIBILITY', 5],
    ]);
    expect(deck('nolang').findings[1]!.message).toBe(
      'slide 1 "Hello": image "_lectern/templates/nolang/mark.svg" has no alternative text',
    );
  });

  it('counts errors and warnings in the summary', () => {
    const all = report.decks.flatMap((d) => d.findings);
    expect(report.errors).toBe(all.filter((f) => f.severity === 'error').length);
    expect(report.warnings).toBe(all.length - report.errors);
    expect(report.exitCode).toBe(1);
  });

  it('writes nothing', () => {
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('build --check reports the browser findings and still writes the deck; a rule turned off stays quiet', async () => {
    const project = makeProject({
      ...measuredTemplate,
      'decks/over.md': overflowing,
      'decks/tall.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="1100"></svg>',
    });
    const run = await cli(['build', '--check', '--no-pdf', '--browser-path', browserPath!], project);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/warning\[SLIDE_OVERFLOW\]/g)).toHaveLength(5);
    expect(run.stderr).toContain(
      `decks/over.md:${lineOf(overflowing, '## List')}:1: warning[SLIDE_OVERFLOW]: slide 2 "List" overflows by`,
    );
    expect(existsSync(join(project, 'dist/over/index.html'))).toBe(true);
    const plain = await cli(['build', '--no-pdf'], project);
    expect(plain.stderr).not.toContain('SLIDE_OVERFLOW');
    const quiet = makeProject({
      ...measuredTemplate,
      'decks/over.md': overflowing.replace('max-bullets: off', 'max-bullets: off\n  slide-overflow: off'),
      'decks/tall.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    });
    const off = await cli(['check', '--browser-path', browserPath!], quiet);
    expect(off.stdout).toContain('decks/over.md: no problems');
    expect(off.code).toBe(0);
  });

  it('a browser finding at error fails build --check before anything is written; the project config raises a rule', async () => {
    const project = makeProject({
      'lectern.config.yaml': 'checks:\n  slide-overflow: error\n',
      'decks/talk.md': `## Fine\n\nShort.\n\n## Too long\n\n${lines(30, 'Paragraph')}\n`,
    });
    expect((await cli(['build', '--no-pdf'], project)).code).toBe(0);
    const before = hashTree(join(project, 'dist'));
    const checked = await cli(['check', '--browser-path', browserPath!], project);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(
      /^decks\/talk\.md:5:1: error\[SLIDE_OVERFLOW\]: slide 2 "Too long" overflows by \d+px/m,
    );
    const built = await cli(['build', '--check', '--no-pdf', '--browser-path', browserPath!], project);
    expect(built.code).toBe(1);
    expect(built.stderr).toMatch(/^decks\/talk\.md:5:1: error\[SLIDE_OVERFLOW\]/m);
    expect(hashTree(join(project, 'dist'))).toBe(before);
    // A picture that does not load is an error out of the box.
    writeFileSync(join(project, 'lectern.config.yaml'), 'checks:\n  slide-overflow: off\n');
    writeFileSync(join(project, 'decks/bad.png'), 'not a picture');
    writeFileSync(join(project, 'decks/talk.md'), '## Picture\n\n![a broken picture](bad.png)\n');
    const broken = await cli(['build', '--check', '--no-pdf', '--browser-path', browserPath!], project);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(
      'decks/talk.md:3:1: error[IMAGE_BROKEN]: slide 1 "Picture": image "bad.png" does not load',
    );
    expect(hashTree(join(project, 'dist'))).toBe(before);
  });

  it.each(listTemplates({ projectDir: repoRoot }).map((t) => t.name))(
    'the talks in decks/ pass check --strict in the %s template, through the real command',
    (template) => {
      const run = spawnSync(
        process.execPath,
        [join(repoRoot, 'bin/lectern.js'), 'check', '--strict', '--template', template, '--browser-path', browserPath!],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      expect(run.stdout).toContain('decks/open-source-ai.md: no problems');
      expect(run.stdout, run.stdout).toMatch(/3 decks checked in \d+ ms: 0 errors, 0 warnings\n$/);
      expect(run.status).toBe(0);
    },
  );

  it('--strict fails on warnings alone', async () => {
    const project = makeProject({ 'decks/t.md': '## Same\n\nA\n\n## Same\n\nB\n' });
    const lax = await cli(['check', '--no-browser'], project);
    expect(lax.code).toBe(0);
    const strict = await cli(['check', '--strict', '--no-browser'], project);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(
      'decks/t.md:5:1: warning[TITLE_DUPLICATE]: slide 2 "Same" has the same title as the slide at line 1',
    );
    expect(strict.stdout).toContain('— failed (--strict: warnings count)');
  });
});

describe.skipIf(!browserPath)('the hint for a clipped code block', () => {
  it('fits the way it is cut: too tall asks for fewer lines or steps, too wide for shorter lines', async () => {
    const tall = Array.from({ length: 40 }, (_, i) => `let v${i} = ${i};`).join('\n');
    const wide = `const x = "${'w'.repeat(400)}";`;
    const dir = makeProject({
      'decks/code.md': `## Tall\n\n\`\`\`js\n${tall}\n\`\`\`\n\n## Wide\n\n\`\`\`js\n${wide}\n\`\`\`\n`,
    });
    const run = await cli(['check'], dir);
    const lines = `${run.stdout}${run.stderr}`.split('\n');
    const hintAfter = (what: RegExp) => lines[lines.findIndex((l) => what.test(l)) + 1] ?? '';
    expect(hintAfter(/slide 1 "Tall": a code block is cut off by \d+px at the bottom/)).toMatch(
      /show fewer lines: split the block over two slides, or light its lines in steps/,
    );
    expect(hintAfter(/slide 2 "Wide": a code block is cut off by \d+px sideways/)).toMatch(
      /shorten or break the long lines/,
    );
  });
});
