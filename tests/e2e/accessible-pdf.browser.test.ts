import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
  beforeAll(async () => {
    dir = makeProject({
      'talks/dot.png': pixel,
      ...Object.fromEntries(templates.map((t) => [`talks/rich-${t}.md`, rich(t)])),
    });
    cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
    const run = await cli(['build', 'decks', 'talks'], dir);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
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
      const raw = readFileSync(pdf, 'latin1');
      expect(raw).toMatch(/\/RoleMap <<\/Strong \/Span/);
      expect(raw).toMatch(/\/Lang \(en\)/);
      expect(raw).toContain('/DisplayDocTitle true');
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

  it('build --check reads each PDF back against PDF/UA-1: nothing for good decks, the slide of a bad one', async () => {
    const good = await cli(['build', 'decks', 'talks', '--check', '--force', '--out', 'checked'], dir);
    expect(`${good.stdout}${good.stderr}`).not.toContain('PDF_ACCESSIBILITY');
    const bad = makeProject({
      'decks/bad.md':
        '---\ntitle: Bad\n---\n\n## Fine\n\ntext\n\n## Skips a level\n\n#### Straight to four\n\n<img src="dot.png">\n',
      'decks/dot.png': pixel,
    });
    const run = await cli(['build', '--check'], bad);
    const found = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('PDF_ACCESSIBILITY'));
    expect(found).toEqual([
      'decks/bad.md:9:1: warning[PDF_ACCESSIBILITY]: slide 3 "Skips a level": a heading of level 4 follows one of level 2: a level is skipped (PDF/UA, Matterhorn 14-003)',
      'decks/bad.md:9:1: warning[PDF_ACCESSIBILITY]: slide 3 "Skips a level": a picture (Figure) has no alternative text (PDF/UA, Matterhorn 13-004)',
    ]);
  }, 300_000);
});
