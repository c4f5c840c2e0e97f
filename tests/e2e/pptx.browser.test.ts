import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { officeConvert, officeForTests, officeToPdf } from '../helpers/office.js';
import { readPdf } from '../helpers/pdf.js';

const browserPath = browserForTests('PowerPoint tests');
const soffice = officeForTests('PowerPoint tests');

/** A talk with every kind of slide the export treats apart. */
const talk = (aspect: string) => `---
title: Open weights in practice
subtitle: What changes when anyone can run the model
author: A speaker
aspect: "${aspect}"
---

# Running it yourself

The first part

## What you need

- A machine with a **recent GPU**
- The weights, downloaded once
  - and checked against their hash
- An afternoon

Note: Ask who has run a model locally. Keep this under a minute.

## Open weights change who decides

<!-- layout: statement -->

## A command

\`\`\`sh
ollama run llama3.1
\`\`\`

Note: Type it live if the network allows.
`;

describe.skipIf(!browserPath || !soffice)('lectern pptx', () => {
  it('writes one slide per slide, titles, bullets and code as text LibreOffice reads, notes in the notes pane', async () => {
    const dir = makeProject({ 'decks/talk.md': talk('16:9') });
    const run = await cli(['pptx', 'decks/talk.md', '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [json] = JSON.parse(run.stdout).decks;
    expect(json).toMatchObject({ name: 'talk', pptx: 'dist/talk/talk.pptx', pptxSlides: 5, pptxTextSlides: 5 });
    const file = join(dir, 'dist/talk/talk.pptx');
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');

    const pdf = await readPdf(officeToPdf(soffice!, file));
    expect(pdf.pages).toBe(5);
    // Widescreen: 13.333 × 7.5 inches.
    expect(pdf.size.map(Math.round)).toEqual([960, 540]);
    const [title, section, bullets, statement, code] = pdf.text;
    expect(title).toContain('Open weights in practice');
    expect(title).toContain('What changes when anyone can run the model');
    expect(section).toContain('Running it yourself');
    expect(section).toContain('The first part');
    for (const line of [
      'What you need',
      'A machine with a',
      'recent GPU',
      'and checked against their hash',
      'An afternoon',
    ])
      expect(bullets).toContain(line);
    expect(statement).toContain('Open weights change who decides');
    // A code slide's code is text too, in the code's own font.
    expect(code).toContain('A command');
    expect(code).toContain('ollama run llama3.1');

    // The text is in the slides' title and body placeholders, as LibreOffice reads them back: a
    // title on every slide, a body (LibreOffice's outline) on the title, section and bullets slides.
    const flat = readFileSync(officeConvert(soffice!, file, 'fodp', 'fodp'), 'utf8');
    const drawn = flat.slice(flat.indexOf('<office:presentation>'));
    const frames = (kind: string): string[] =>
      [...drawn.matchAll(new RegExp(`<draw:frame[^>]*presentation:class="${kind}"[\\s\\S]*?</draw:frame>`, 'g'))].map(
        (m) =>
          m[0]
            .replace(/<[^>]+>/g, ' ')
            .replace(/\s+/g, ' ')
            .trim(),
      );
    expect(frames('title')).toEqual([
      'Open weights in practice',
      'Running it yourself',
      'What you need',
      'Open weights change who decides',
      'A command',
    ]);
    expect(frames('outline').filter(Boolean)).toHaveLength(3);
    expect(frames('outline').join(' ')).toContain('An afternoon');

    // With its notes pages: the slides, then a notes page for each.
    const withNotes = await readPdf(officeToPdf(soffice!, file, true));
    expect(withNotes.pages).toBe(10);
    const notes = withNotes.text.join('\n');
    expect(notes).toContain('Ask who has run a model locally. Keep this under a minute.');
    expect(notes).toContain('Type it live if the network allows.');
  });

  it('takes the slide size from the aspect ratio, and comes with formats: [pptx] in a build', async () => {
    const dir = makeProject({ 'decks/square.md': talk('4:3'), 'lectern.config.yaml': 'formats: [html, pptx]\n' });
    const run = await cli(['build'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /pptx -> dist\/square\/square\.pptx \(5 slides, 5 with text, 0 tables, 0 pictures, 0 drawn as pictures, \d+ kB, \d+ ms\)/,
    );
    expect(run.stdout).toMatch(/1 deck, 1 PowerPoint file in \d+ ms, 0 warnings/);
    expect(existsSync(join(dir, 'dist/square/square.pdf'))).toBe(false);
    const pdf = await readPdf(officeToPdf(soffice!, join(dir, 'dist/square/square.pptx')));
    expect(pdf.pages).toBe(5);
    // 4:3 at 96 pixels an inch: 1024 × 768 pixels is 10.667 × 8 inches.
    expect(pdf.size.map(Math.round)).toEqual([768, 576]);
    // An unchanged deck keeps its file: nothing is written again.
    const again = await cli(['build'], dir);
    expect(again.stdout).toMatch(/1 deck \(1 unchanged, skipped; --force builds them\) in \d+ ms/);
  });

  it('writes text XML cannot hold (control characters) as the reader can read it, markup and all', async () => {
    const deck = [
      '---',
      'title: "R&D <b>not bold</b> \\"quoted\\""',
      '---',
      '',
      '## Title & \x0b tab \x01 control',
      '',
      '- ünïcödé and & <kbd>keys</kbd>',
      '- ]]> and \x1f',
      '',
      'Note: notes with ]]> & \x02 a control',
      '',
    ].join('\n');
    const dir = makeProject({ 'decks/odd.md': deck });
    const run = await cli(['pptx', 'decks/odd.md', '--no-pdf'], dir);
    expect(run.code, run.stderr).toBe(0);
    const pdf = await readPdf(officeToPdf(soffice!, join(dir, 'dist/odd/odd.pptx'), true));
    // A slide whose XML a reader cannot parse comes back empty: every one must have its text.
    // (The slides come first, then their notes pages.)
    expect(pdf.pages).toBe(4);
    expect(pdf.text[0]).toContain('R&D <b>not bold</b> "quoted"');
    expect(pdf.text[1]).toContain('Title & tab control');
    expect(pdf.text[1]).toContain('ünïcödé and & keys');
    expect(pdf.text[1]).toContain(']]> and');
    expect(pdf.text[3]).toContain('notes with ]]> & a control');
  });

  it('keeps each bullet and its level however many runs it has, and gives a dated deck the same bytes every time', async () => {
    const deck = [
      '---',
      'title: Runs',
      'subtitle: Bold, italic and code in bullets',
      'date: 2026-03-14',
      'lang: de',
      '---',
      '',
      '## Mixed runs',
      '',
      '- A machine with a **recent GPU**',
      '- Plain',
      '  - nested with *italic* and `code`',
      '- Last',
      '',
    ].join('\n');
    const dir = makeProject({ 'decks/runs.md': deck });
    expect((await cli(['pptx', 'decks/runs.md', '--no-pdf'], dir)).code).toBe(0);
    const file = join(dir, 'dist/runs/runs.pptx');
    const first = readFileSync(file);
    // A second later, so a part stamped with the time of writing would differ.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await cli(['pptx', 'dist/runs', '--force'], dir)).code).toBe(0);
    expect(readFileSync(file).equals(first)).toBe(true);
    // LibreOffice reads the body as a list of four items, the third one level down.
    const flat = readFileSync(officeConvert(soffice!, file, 'fodp', 'fodp'), 'utf8');
    const body = [
      ...flat
        .slice(flat.indexOf('<office:presentation>'))
        .matchAll(/<draw:frame[^>]*presentation:class="outline"[\s\S]*?<\/draw:frame>/g),
    ]
      .map((m) => m[0])
      .find((frame) => frame.includes('recent GPU'))!;
    const paragraphs = [...body.matchAll(/<text:p[^>]*>([\s\S]*?)<\/text:p>/g)].map((m) =>
      m[1]!.replace(/<[^>]+>/g, ''),
    );
    expect(paragraphs).toEqual(['A machine with a recent GPU', 'Plain', 'nested with italic and code', 'Last']);
    // Each a list item (a bullet), the nested one in a list inside a list.
    expect(body.match(/<text:list-item>\s*<text:p/g)).toHaveLength(4);
    expect(body).toMatch(
      /<text:list-item>\s*<text:list[^>]*>\s*<text:list-item>\s*<text:p[^>]*>(<text:span[^>]*>)?nested with/,
    );
    const pdf = await readPdf(officeToPdf(soffice!, file));
    expect(pdf.text[1]).toMatch(/• A machine with a recent GPU • Plain .?\s*nested with italic and code • Last/);
    // The document's properties come from the front matter.
    expect(flat).toContain('<dc:subject>Bold, italic and code in bullets</dc:subject>');
    expect(flat).toContain('<meta:creation-date>2026-03-14T00:00:00');
  });

  it('writes one picture a slide with --pptx-pictures, says it is not editable, and refuses the flag elsewhere', async () => {
    const dir = makeProject({ 'decks/talk.md': talk('16:9') });
    const run = await cli(['pptx', 'decks/talk.md', '--no-pdf', '--pptx-pictures'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\(5 slides, each one picture, not editable, [\d.]+ [kM]B, \d+ ms\)/);
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dist/talk/talk.pptx')));
    for (let i = 1; i <= 5; i++) {
      const xml = await zip.file(`ppt/slides/slide${i}.xml`)!.async('string');
      expect(xml).toMatch(/<p:bg><p:bgPr><a:blipFill/);
      expect(xml).not.toContain('<a:t>');
    }
    const notes = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    expect(notes.join('')).toContain('Type it live if the network allows.');
    const wrong = await cli(['pdf', 'decks/talk.md', '--pptx-pictures'], dir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--pptx-pictures goes with `lectern pptx` and `lectern build`');
  });

  it('keeps text that shares its container with blocks: a line beside a display formula, loose text in raw HTML', async () => {
    const deck = [
      '---',
      'title: Mixed',
      '---',
      '',
      '## Beside a formula',
      '',
      'The area is $$\\pi r^2$$ for a circle of radius r.',
      '',
      '## Loose text',
      '',
      '<div>Loose words before <p>a paragraph</p> and loose words after</div>',
      '',
      '## A panel',
      '',
      '<div><span>beside</span> <div style="display: inline-block"><h3>Panel heading</h3><p>Panel text</p></div></div>',
      '',
    ].join('\n');
    const dir = makeProject({ 'decks/mixed.md': deck });
    const run = await cli(['pptx', 'decks/mixed.md', '--no-pdf'], dir);
    expect(run.code, run.stderr).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dist/mixed/mixed.pptx')));
    const slide = async (n: number) => {
      const xml = await zip.file(`ppt/slides/slide${n}.xml`)!.async('string');
      return { xml, text: [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => m[1]).join(' ') };
    };
    const formula = await slide(2);
    expect(formula.text).toContain('The area is');
    expect(formula.text).toContain('for a circle of radius r.');
    expect(formula.xml).toContain('descr="\\pi r^2"');
    const loose = await slide(3);
    for (const words of ['Loose words before', 'a paragraph', 'and loose words after'])
      expect(loose.text).toContain(words);
    // An inline-block panel of blocks keeps its blocks: heading and text in paragraphs of their own.
    const panel = await slide(4);
    const paragraphs = [...panel.xml.matchAll(/<a:p>[\s\S]*?<\/a:p>/g)].map((m) =>
      [...m[0].matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((t) => t[1]).join(''),
    );
    expect(paragraphs).toContain('Panel heading');
    expect(paragraphs).toContain('Panel text');
  });

  it('links to slides by number jump there; links that would run, fetch or reach a network share are dropped, safe deck or not', async () => {
    const links = [
      '<a href="\\\\10.0.0.1\\share">unc</a>',
      '<a href="/\\evil.example/y">slash</a>',
      '<a href="  JAVASCRIPT:alert(1)">spaced</a>',
      '<a href="java&#9;script:alert(1)">tabbed</a>',
      '<a href=" file:///etc/passwd">file</a>',
      '<a href=" data:text/html,x">data</a>',
      '<a href="//evil.example/x">protocol</a>',
    ].join(' ');
    const deck = (html: string) =>
      `---\ntitle: Links\n${html}---\n\n## One\n\n[to three](#/2) and [by id](#/target) ${links}\n\n## Two\n\ntext\n\n## Three\n\n<!-- .slide: id="target" -->\n\ntext\n`;
    const dir = makeProject({ 'decks/safe.md': deck(''), 'decks/unsafe.md': deck('html: unsafe\n') });
    for (const name of ['safe', 'unsafe']) {
      const run = await cli(['pptx', `decks/${name}.md`, '--no-pdf'], dir);
      expect(run.code, run.stderr).toBe(0);
      const zip = await JSZip.loadAsync(readFileSync(join(dir, `dist/${name}/${name}.pptx`)));
      const rels = await zip.file('ppt/slides/_rels/slide2.xml.rels')!.async('string');
      const targets = [...rels.matchAll(/Target="([^"]*)"/g)].map((m) => m[1]!).filter((t) => !t.startsWith('../'));
      // The title slide is `#/0`, slide 1 of the file: `#/2` is slide 3, `#/target` slide 4.
      expect(targets.sort(), name).toEqual(['slide3.xml', 'slide4.xml']);
    }
  });

  it('keeps every size PowerPoint reads whole and in range, however far a slide overflows, and code on its panel', async () => {
    const bullets = Array.from({ length: 300 }, (_, i) => `- point ${i + 1}`).join('\n');
    const deck = `---\ntitle: Big\n---\n\n## Many\n\n${bullets}\n\n## Huge\n\n<p style="font-size: 9999px">huge</p>\n\n## Code\n\n\`\`\`js\nconst x = 1;\n\`\`\`\n`;
    const dir = makeProject({ 'decks/big.md': deck });
    expect((await cli(['pptx', 'decks/big.md', '--no-pdf'], dir)).code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dist/big/big.pptx')));
    for (const name of Object.keys(zip.files).filter((n) => /^ppt\/(slides|slideLayouts)\/[^/]+\.xml$/.test(n))) {
      const xml = await zip.file(name)!.async('string');
      for (const m of xml.matchAll(/<a:(?:off|ext) (?:x|cx)="([^"]+)" (?:y|cy)="([^"]+)"/g))
        for (const v of [m[1]!, m[2]!]) expect(v, name).toMatch(/^-?\d+$/);
      for (const m of xml.matchAll(/ sz="(\d+)"/g)) expect(Number(m[1]), name).toBeLessThanOrEqual(400000);
    }
    // The code block's panel is a filled shape behind its text.
    const code = await zip.file('ppt/slides/slide4.xml')!.async('string');
    expect(code.indexOf('<a:solidFill>')).toBeGreaterThan(-1);
    expect(code.indexOf('<a:solidFill>')).toBeLessThan(code.indexOf('<a:t>const'));
  });

  it("aligns a table's columns as the Markdown says, on the slide and in the PowerPoint table", async () => {
    const dir = makeProject({
      'decks/cols.md':
        '---\ntitle: Columns\n---\n\n## Aligned\n\n| left | middle | right |\n|:--|:-:|--:|\n| a | b | c |\n',
    });
    expect((await cli(['pptx', 'decks/cols.md', '--no-pdf'], dir)).code).toBe(0);
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dist/cols/cols.pptx')));
    const xml = await zip.file('ppt/slides/slide2.xml')!.async('string');
    const cells = [...xml.matchAll(/<a:tc>[\s\S]*?<\/a:tc>/g)].map((m) => [
      /algn="(\w+)"/.exec(m[0])?.[1],
      /<a:t>([^<]*)<\/a:t>/.exec(m[0])?.[1],
    ]);
    expect(cells).toEqual([
      ['l', 'left'],
      ['ctr', 'middle'],
      ['r', 'right'],
      ['l', 'a'],
      ['ctr', 'b'],
      ['r', 'c'],
    ]);
  });

  it('refuses a deck file of the name the PowerPoint file takes', async () => {
    const dir = makeProject({
      'decks/talk.md': '---\ntitle: Clash\n---\n\n## Clash\n\n[the slides](talk.pptx)\n',
      'decks/talk.pptx': 'not a deck file',
    });
    const run = await cli(['build', '--no-pdf'], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('talk.pptx');
  });
});
