import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';

// Every slide of every PDF in the document structure, read back by two independent readers:
// poppler (`pdfinfo -struct-text`) and pdf.js (`getStructTree`).
const browserPath = browserForTests('accessible PDF tests');
const hasPoppler = spawnSync('sh', ['-c', 'command -v pdfinfo'], { stdio: 'ignore' }).status === 0;
if (!hasPoppler && process.env.CI) throw new Error('pdfinfo (poppler-utils) is missing: .ci/run installs it');

const templates = ['default', 'keynote', 'stage', 'handout'];
const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

/** A deck with a picture of each kind, a table, a list, a formula, a footer and a logo. */
const rich = (template: string) => `---
title: Who can run the model
author: A speaker
template: ${template}
theme:
  footer: Open models talk
  logo: dot.png
---

## Pictures say something

![A chart of downloads by month](dot.png)

![](dot.png)

## A formula

$$E = mc^2$$

## A diagram

\`\`\`mermaid
flowchart LR
  accTitle: Weights go out, fixes come back
  A[Lab] --> B[Community]
\`\`\`

## Costs

| Model | Memory |
| --- | --- |
| Small | 8 GB |
| Large | 80 GB |

## Three reasons

- Inspect it
- Run it anywhere
- Change it
`;

interface Structure {
  /** The text of the tree as poppler prints it, spaces removed (its line breaks join words). */
  poppler: string;
  /** Per page: the roles and the alternative texts pdf.js finds. */
  pages: { roles: string[]; alts: string[] }[];
}

async function structureOf(pdf: string): Promise<Structure> {
  const printed = execFileSync('pdfinfo', ['-struct-text', pdf], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Each string on a line of its own, between the line's first and last quote (quotes inside stay).
  const poppler = printed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= 2 && line.startsWith('"') && line.endsWith('"'))
    .map((line) => line.slice(1, -1))
    .join('')
    .replace(/\s+/g, '');
  const doc = await getDocument({ data: new Uint8Array(readFileSync(pdf)), verbosity: 0 }).promise;
  const pages: Structure['pages'] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const tree = await (await doc.getPage(i)).getStructTree();
    const roles: string[] = [];
    const alts: string[] = [];
    const walk = (node: { role?: string; alt?: string; children?: unknown[] }) => {
      if (node.role) roles.push(node.role);
      if (node.alt) alts.push(node.alt);
      for (const child of node.children ?? []) walk(child as typeof node);
    };
    if (tree) walk(tree as Parameters<typeof walk>[0]);
    pages.push({ roles, alts });
  }
  await doc.destroy();
  return { poppler, pages };
}

/** Whether each string appears in the text, in this order. */
function inOrder(text: string, parts: string[]): string[] {
  let at = 0;
  const missing: string[] = [];
  for (const part of parts) {
    const found = text.indexOf(part.replace(/\s+/g, ''), at);
    if (found === -1) missing.push(part);
    else at = found;
  }
  return missing;
}

describe.skipIf(!browserPath || !hasPoppler)('the structure of every PDF', () => {
  let dir: string;
  /** What the build of the essay talks and the rich decks printed. */
  let firstBuild: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    dir = makeProject({
      'talks/dot.png': pixel,
      ...Object.fromEntries(templates.map((t) => [`talks/rich-${t}.md`, rich(t)])),
    });
    cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
    firstBuild = await cli(['build', 'decks', 'talks'], dir);
    expect(firstBuild.stderr).not.toMatch(/error/);
    expect(firstBuild.code).toBe(0);
  }, 300_000);

  it('holds every slide title, in order, for both readers; every page has structure', async () => {
    const decks = readdirSync(join(dir, 'dist'), { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(decks.length).toBe(7);
    for (const deck of decks) {
      const summary = JSON.parse(readFileSync(join(dir, 'dist', deck.name, 'deck.json'), 'utf8'));
      const { poppler, pages } = await structureOf(join(dir, 'dist', deck.name, summary.pdf));
      const titles = (summary.slides as { title: string }[]).map((s) => s.title).filter(Boolean);
      expect(titles.length, deck.name).toBeGreaterThan(2);
      expect(inOrder(poppler, titles), `${deck.name}: titles poppler does not find in order`).toEqual([]);
      // pdf.js: a structure tree on every page, each with a heading.
      expect(pages.length).toBe(summary.slideCount);
      pages.forEach((page, i) => {
        expect(
          page.roles.some((r) => /^H\d?$/.test(r)),
          `${deck.name} page ${i + 1}`,
        ).toBe(true);
      });
    }
  });

  it('makes pictures figures with their text, leaves decoration out, and says what the document is', async () => {
    for (const template of templates) {
      const pdf = join(dir, `dist/rich-${template}/rich-${template}.pdf`);
      const { poppler, pages } = await structureOf(pdf);
      const alts = pages.flatMap((p) => p.alts);
      expect(alts, template).toEqual(['A chart of downloads by month', 'E = mc^2', 'Weights go out, fixes come back']);
      expect(
        pages.flatMap((p) => p.roles).filter((r) => r === 'Figure'),
        template,
      ).toHaveLength(3);
      // The table's cells and the list's items, for poppler too.
      expect(inOrder(poppler, ['Model', 'Memory', 'Small', '8 GB', 'Large', '80 GB']), template).toEqual([]);
      expect(inOrder(poppler, ['Inspect it', 'Run it anywhere', 'Change it']), template).toEqual([]);
      expect(pages.flatMap((p) => p.roles)).toEqual(expect.arrayContaining(['Table', 'TH', 'TD', 'L', 'LI']));
      // Decoration: the footer is on the pages, not in the structure.
      expect(poppler, template).not.toContain('Openmodelstalk');
      // The document says what it is, to poppler.
      const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toMatch(/^Title:\s+Who can run the model$/m);
      const meta = execFileSync('pdfinfo', ['-meta', pdf], { encoding: 'utf8' });
      expect(meta).toContain('<rdf:li xml:lang="x-default">Who can run the model</rdf:li>');
      expect(meta).toContain('<dc:language><rdf:Bag><rdf:li>en</rdf:li></rdf:Bag></dc:language>');
      // The catalog, as pdf-lib reads it (the file's objects are packed in compressed streams).
      const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
      const catalog = doc.catalog;
      expect(catalog.lookup(PDFName.of('Lang'))?.toString()).toBe('(en)');
      expect(
        catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))?.toString(),
      ).toBe('true');
      const roles = catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict).lookup(PDFName.of('RoleMap'), PDFDict);
      expect(roles.get(PDFName.of('Strong'))?.toString()).toBe('/Span');
      const errors = spawnSync('pdfinfo', ['-struct-text', pdf], { encoding: 'utf8' }).stderr;
      expect(errors, template).toBe('');
    }
  });

  it('tags the notes and fragments PDFs the same way', async () => {
    const run = await cli(['build', 'decks/lightning.md', '--pdf-notes', '--out', 'notes-out'], dir);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'notes-out/lightning/deck.json'), 'utf8'));
    const { poppler } = await structureOf(join(dir, 'notes-out/lightning', summary.pdf));
    const titles = (summary.slides as { title: string }[]).map((s) => s.title).filter(Boolean);
    expect(inOrder(poppler, titles)).toEqual([]);
    const steps = await cli(['build', 'decks/lightning.md', '--pdf-fragments', '--out', 'steps-out'], dir);
    expect(steps.code, steps.stderr).toBe(0);
    const stepped = JSON.parse(readFileSync(join(dir, 'steps-out/lightning/deck.json'), 'utf8'));
    expect(inOrder((await structureOf(join(dir, 'steps-out/lightning', stepped.pdf))).poppler, titles)).toEqual([]);
  }, 120_000);

  it('every export and lectern check read the PDF back against PDF/UA-1: nothing for good decks, the slide of a bad one', async () => {
    // A plain build (this file's first) reads back what it wrote; good decks claim PDF/UA-1 in their XMP.
    expect(`${firstBuild.stdout}${firstBuild.stderr}`).not.toContain('PDF_ACCESSIBILITY');
    expect(
      execFileSync('pdfinfo', ['-meta', join(dir, 'dist/lightning/lightning.pdf')], { encoding: 'utf8' }),
    ).toContain('<pdfuaid:part>1</pdfuaid:part>');
    const checkedGood = await cli(['check', 'decks', 'talks'], dir);
    expect(`${checkedGood.stdout}${checkedGood.stderr}`).not.toContain('PDF_ACCESSIBILITY');
    const bad = makeProject({
      'decks/bad.md':
        '---\ntitle: Bad\n---\n\n## Fine\n\ntext\n\n## Skips a level\n\n#### Straight to four\n\n<img src="dot.png">\n',
      'decks/dot.png': pixel,
    });
    const expected = [
      'decks/bad.md:9:1: warning[PDF_ACCESSIBILITY]: slide 3 "Skips a level": a heading of level 4 follows one of level 2: a level is skipped (PDF/UA, Matterhorn 14-003)',
      'decks/bad.md:9:1: warning[PDF_ACCESSIBILITY]: slide 3 "Skips a level": a picture (Figure) has no alternative text (PDF/UA, Matterhorn 13-004)',
    ];
    const found = (run: { stdout: string; stderr: string }) =>
      `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('PDF_ACCESSIBILITY'));
    // lectern check prints the deck in memory, writes nothing, and names the slide.
    const checked = await cli(['check'], bad);
    expect(found(checked)).toEqual(expected);
    expect(existsSync(join(bad, 'dist'))).toBe(false);
    const built = await cli(['build'], bad);
    expect(found(built)).toEqual(expected);
    // The PDF with a problem makes no PDF/UA claim.
    expect(execFileSync('pdfinfo', ['-meta', join(bad, 'dist/bad/bad.pdf')], { encoding: 'utf8' })).not.toContain(
      'pdfuaid',
    );
    // Printing the built deck again, with a handout: the same two, said once.
    const again = await cli(['pdf', 'dist/bad', '--handout', '2'], bad);
    expect(found(again)).toEqual(expected);
    // The deck's checks: rule them: heading-order off silences the skipped level in the check, the
    // build and a later pdf of the built deck; pdf-structure does not reach the figure (image-alt's).
    writeFileSync(
      join(bad, 'decks/bad.md'),
      '---\ntitle: Bad\nchecks:\n  heading-order: off\n  pdf-structure: off\n---\n\n## Fine\n\ntext\n\n## Skips a level\n\n#### Straight to four\n\n<img src="dot.png">\n',
    );
    const figureOnly = [expected[1]!.replace('bad.md:9:1', 'bad.md:12:1')];
    expect(found(await cli(['check'], bad))).toEqual(figureOnly);
    expect(found(await cli(['build'], bad))).toEqual(figureOnly);
    expect(found(await cli(['pdf', 'dist/bad'], bad))).toEqual(figureOnly);
  }, 300_000);

  it('tags the essay talks in every template, and decks of every dialect', async () => {
    for (const template of templates) {
      const run = await cli(['build', 'decks', '--template', template, '--out', `as-${template}`], dir);
      expect(run.code, run.stderr).toBe(0);
      expect(`${run.stdout}${run.stderr}`, template).not.toContain('PDF_ACCESSIBILITY');
      for (const deck of ['open-source-ai', 'lightning', 'debate']) {
        const summary = JSON.parse(readFileSync(join(dir, `as-${template}`, deck, 'deck.json'), 'utf8'));
        const { poppler, pages } = await structureOf(join(dir, `as-${template}`, deck, summary.pdf));
        const titles = (summary.slides as { title: string }[]).map((s) => s.title).filter(Boolean);
        expect(inOrder(poppler, titles), `${deck} in ${template}`).toEqual([]);
        expect(
          pages.every((p) => p.roles.length > 0),
          `${deck} in ${template}`,
        ).toBe(true);
      }
    }
    // One deck of each other tool, read by its own rules.
    const fixtures = join(repoRoot, 'tests/fixtures/dialects');
    const decks = [
      'marp/marp-basic.md',
      'pandoc/columns-and-divs.md',
      'quarto/callouts-openness-and-safety.qmd',
      'reveal-md/comment-separators.md',
      'slidev/open-weights-talk.md',
    ];
    const project = makeProject({});
    for (const deck of decks) cpSync(join(fixtures, deck), join(project, 'dialects', deck));
    cpSync(join(fixtures, 'images'), join(project, 'dialects/images'), { recursive: true });
    const run = await cli(['build', ...decks.map((d) => `dialects/${d}`)], project);
    expect(run.code, run.stderr).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toContain('PDF_ACCESSIBILITY');
    for (const deck of decks) {
      const name = deck.replace(/^.*\//, '').replace(/\.q?md$/, '');
      const summary = JSON.parse(readFileSync(join(project, 'dist', name, 'deck.json'), 'utf8'));
      const { poppler, pages } = await structureOf(join(project, 'dist', name, summary.pdf));
      const titles = (summary.slides as { title: string }[]).map((s) => s.title).filter(Boolean);
      expect(titles.length, name).toBeGreaterThan(2);
      expect(inOrder(poppler, titles), name).toEqual([]);
      expect(pages.length, name).toBe(summary.slideCount);
      expect(
        pages.every((p) => p.roles.length > 0),
        name,
      ).toBe(true);
    }
  }, 600_000);
});

describe.skipIf(!browserPath || !hasPoppler)('handouts', () => {
  let dir: string;
  const sizeOf = (pdf: string) => {
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    return {
      pages: Number(/^Pages:\s+(\d+)$/m.exec(info)?.[1]),
      size: /^Page size:\s+(.*)$/m.exec(info)?.[1] ?? '',
    };
  };
  beforeAll(async () => {
    dir = makeProject({ 'talks/dot.png': pixel, 'talks/rich.md': rich('default') });
    cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
    const run = await cli(['build', 'decks', 'talks'], dir);
    expect(run.code, run.stderr).toBe(0);
  }, 300_000);

  it('holds ceil(n/k) sheets of Letter for an en deck, every slide in the structure, beside an unchanged PDF', async () => {
    const summary = JSON.parse(readFileSync(join(dir, 'dist/open-source-ai/deck.json'), 'utf8'));
    const n = summary.slideCount as number;
    const titles = (summary.slides as { title: string }[]).map((s) => s.title).filter(Boolean);
    for (const k of [2, 3, 6]) {
      const run = await cli(['pdf', 'dist/open-source-ai', '--handout', String(k)], dir);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain(
        `handout -> dist/open-source-ai/open-source-ai-handout.pdf (${k} slides a page, Letter`,
      );
      const handout = join(dir, 'dist/open-source-ai/open-source-ai-handout.pdf');
      expect(sizeOf(handout)).toEqual({ pages: Math.ceil(n / k), size: '612 x 792 pts (letter)' });
      const { poppler, pages } = await structureOf(handout);
      expect(inOrder(poppler, titles), `${k} a sheet`).toEqual([]);
      expect(
        pages.every((p) => p.roles.some((r) => /^H\d?$/.test(r))),
        `${k} a sheet`,
      ).toBe(true);
      // The sheet's running header is decoration; the deck's title is read once per title slide only.
      expect(poppler.split('TheCaseforOpenAIModels').length - 1, `${k} a sheet`).toBe(1);
      expect(execFileSync('pdfinfo', ['-meta', handout], { encoding: 'utf8' })).toContain(
        '<pdfuaid:part>1</pdfuaid:part>',
      );
      // Added, not instead: the deck's PDF is still there, a page a slide.
      expect(sizeOf(join(dir, 'dist/open-source-ai/open-source-ai.pdf')).pages).toBe(n);
    }
    // 3 a sheet: each slide's notes beside it, in the structure after the slide.
    const { poppler } = await structureOf(join(dir, 'dist/open-source-ai/open-source-ai-handout.pdf'));
    expect(poppler).not.toContain('Readthequoteslowly');
    await cli(['pdf', 'dist/open-source-ai', '--handout', '3'], dir);
    const three = await structureOf(join(dir, 'dist/open-source-ai/open-source-ai-handout.pdf'));
    expect(inOrder(three.poppler, ['In the author', 'Read the quote slowly'])).toEqual([]);
  }, 300_000);

  it("takes the paper from the deck's lang or --paper, keeps alt texts, and says when notes do not fit", async () => {
    // A4 for a German deck; Letter when asked.
    const long = Array.from(
      { length: 60 },
      (_, i) => `Sentence ${i + 1} of notes far too long for a third of a sheet.`,
    ).join(' ');
    const project = makeProject({
      'decks/de.md': `---\ntitle: Offene Modelle\nlang: de-DE\n---\n\n## Eins\n\nText\n\nNote: kurz\n\n## Zwei\n\nText\n\nNote: ${long}\n`,
    });
    const run = await cli(['build', '--handout', '3'], project);
    expect(run.code, run.stderr).toBe(0);
    expect(sizeOf(join(project, 'dist/de/de-handout.pdf'))).toEqual({
      pages: 1,
      size: expect.stringMatching(/\(A4\)$/),
    });
    const cut = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('HANDOUT_NOTES_CUT'));
    expect(cut).toEqual([
      'decks/de.md:12:1: warning[HANDOUT_NOTES_CUT]: slide 3 "Zwei": its notes do not fit beside it in the handout, even in 7-point type, and are cut off',
    ]);
    const letter = await cli(['pdf', 'dist/de', '--handout', '6', '--paper', 'letter'], project);
    expect(letter.code, letter.stderr).toBe(0);
    expect(sizeOf(join(project, 'dist/de/de-handout.pdf')).size).toBe('612 x 792 pts (letter)');
    // Pictures keep their alternative text in the handout.
    const rich = await cli(['pdf', 'dist/rich', '--handout', '6'], dir);
    expect(rich.code, rich.stderr).toBe(0);
    const { pages } = await structureOf(join(dir, 'dist/rich/rich-handout.pdf'));
    expect(pages.flatMap((p) => p.alts)).toEqual([
      'A chart of downloads by month',
      'E = mc^2',
      'Weights go out, fixes come back',
    ]);
    // Wrong values are usage errors, before anything runs.
    for (const args of [
      ['--handout', '4'],
      ['--paper', 'a4'],
      ['--handout', '3', '--paper', 'legal'],
    ]) {
      const wrong = await cli(['pdf', 'dist/rich', ...args], dir);
      expect(wrong.code, args.join(' ')).toBe(2);
      expect(wrong.stderr).toMatch(/error\[USAGE\]: --(handout|paper)/);
    }
  }, 300_000);

  it('is made by formats: [handout] and kept by the next build of the unchanged deck', async () => {
    const project = makeProject({
      'lectern.config.yaml': 'formats: [html, pdf, handout]\nhandout: 2\n',
      'decks/a.md': '---\ntitle: A\ndate: 2026-01-01\n---\n\n## One\n\nx\n\n## Two\n\ny\n\n## Three\n\nz\n',
    });
    const first = await cli(['build'], project);
    expect(first.code, first.stderr).toBe(0);
    expect(sizeOf(join(project, 'dist/a/a-handout.pdf')).pages).toBe(2);
    const index = readFileSync(join(project, 'dist/index.html'), 'utf8');
    expect(index).toContain('a/a-handout.pdf');
    // A build without handouts keeps the unchanged deck's; a changed deck's handout goes with its PDF.
    writeFileSync(join(project, 'lectern.config.yaml'), 'formats: [html, pdf]\n');
    const again = await cli(['build'], project);
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(project, 'dist/a/a-handout.pdf'))).toBe(true);
    writeFileSync(join(project, 'decks/a.md'), '---\ntitle: A\ndate: 2026-01-01\n---\n\n## One, changed\n\nx\n');
    const changed = await cli(['build'], project);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain('removed dist/a/a-handout.pdf: made from the deck before this change');
    expect(existsSync(join(project, 'dist/a/a-handout.pdf'))).toBe(false);
  }, 300_000);
});
