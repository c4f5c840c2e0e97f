import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject, repoRoot } from '../helpers/fs.js';
import { officeConvertAll, officeForTests } from '../helpers/office.js';
import { greyOfPngFile, greyPagesOfPdf, slideDifference } from '../helpers/pixels.js';

const browserPath = browserForTests('editable PowerPoint tests');
const soffice = officeForTests('editable PowerPoint tests');

/**
 * The most a slide of the PowerPoint file, as LibreOffice draws it, may differ from Lectern's own
 * PNG of it, by `slideDifference` (tests/helpers/pixels.ts: 1 − F1 of where the two have ink, on
 * 32×18 cells with a cell's neighbours forgiven, plus the mean grey difference). LibreOffice here
 * has none of the templates' web fonts (Inter, Source Serif 4): its letters are wider and wrap
 * elsewhere: the 168 slides of the essay talks in four templates measure up to 0.29 for that. A blank slide against its
 * PNG measures over 1, one whose lower half is missing 0.2 to 0.55, a wrong background more.
 */
const THRESHOLD = 0.35;

const pixel = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

interface ReadPptx {
  /** Per slide, in order: its text (every run), its pictures' descriptions and names, its notes. */
  slides: { text: string; pictures: { name: string; descr: string }[]; tables: number; notes: string }[];
  /** How many of the file's layouts (one per Lectern layout) carry a picture (the logo). */
  layoutsWithPicture: number;
  layouts: number;
}

const decode = (xml: string): string =>
  xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&amp;/g, '&');

async function readPptx(path: string): Promise<ReadPptx> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const count = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)).length;
  const slides: ReadPptx['slides'] = [];
  for (let i = 1; i <= count; i++) {
    const xml = await zip.file(`ppt/slides/slide${i}.xml`)!.async('string');
    const rels = await zip.file(`ppt/slides/_rels/slide${i}.xml.rels`)!.async('string');
    const notesFile = /Target="\.\.\/notesSlides\/(notesSlide\d+\.xml)"/.exec(rels)?.[1];
    const notesXml = notesFile ? await zip.file(`ppt/notesSlides/${notesFile}`)!.async('string') : '';
    const texts = (x: string) => [...x.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((m) => decode(m[1]!));
    slides.push({
      text: texts(xml).join(' '),
      pictures: [...xml.matchAll(/<p:pic>[\s\S]*?(<p:cNvPr [^>]*>)/g)].map((m) => ({
        name: decode(/ name="([^"]*)"/.exec(m[1]!)?.[1] ?? ''),
        descr: decode(/ descr="([^"]*)"/.exec(m[1]!)?.[1] ?? ''),
      })),
      tables: (xml.match(/<a:tbl>/g) ?? []).length,
      // The notes pane is the notes page's body placeholder (the page has the slide number too).
      notes: texts(
        [...notesXml.matchAll(/<p:sp>[\s\S]*?<\/p:sp>/g)].find((m) => m[0].includes('type="body"'))?.[0] ?? '',
      )
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    });
  }
  const layoutNames = Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n));
  let layoutsWithPicture = 0;
  for (const name of layoutNames) if ((await zip.file(name)!.async('string')).includes('<p:pic>')) layoutsWithPicture++;
  return { slides, layoutsWithPicture, layouts: layoutNames.length };
}

/** The words of a text: letters and digits, lower case. */
const words = (text: string): string[] =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu) ?? [];

/** The text of each page of a PDF, as poppler reads it. */
function pdfPages(pdf: string, pages: number): string[] {
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdf, '-'], { encoding: 'utf8' }),
  );
}

/** Speaker notes as the built page holds them, slide by slide (slides without notes left out). */
function htmlNotes(html: string): string[] {
  return [...html.matchAll(/<aside class="notes">([\s\S]*?)<\/aside>/g)].map((m) =>
    decode(m[1]!.replace(/<[^>]+>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

const talks = ['lightning', 'debate', 'open-source-ai'];
// The default template with a logo checks all it checks without one, and the logo besides.
const variants: { name: string; template: string; config: string }[] = [
  { name: 'keynote', template: 'keynote', config: '' },
  { name: 'stage', template: 'stage', config: '' },
  { name: 'handout', template: 'handout', config: '' },
  { name: 'default with a logo', template: 'default', config: 'theme:\n  logo: images/logo.png\n' },
];

describe.skipIf(!browserPath || !soffice)('editable PowerPoint of the essay talks', () => {
  it.each(variants)(
    '$name: every word of every slide is text, tables are tables, pictures have descriptions, notes match, and LibreOffice draws each slide as Lectern does',
    async ({ template, config }) => {
      const dir = makeProject({
        'lectern.config.yaml': `formats: [html, pdf, png, pptx]\n${config}`,
      });
      cpSync(join(repoRoot, 'decks'), join(dir, 'decks'), { recursive: true });
      // A logo the template puts in a corner of every slide.
      writeFileSync(join(dir, 'decks/images/logo.png'), pixel);
      const run = await cli(['build', '--template', template], dir);
      expect(run.code, run.stderr).toBe(0);

      const pictureWords = words(
        readdirSync(join(dir, 'decks/images'))
          .filter((f) => f.endsWith('.svg'))
          .map((f) => readFileSync(join(dir, 'decks/images', f), 'utf8').replace(/<[^>]+>/g, ' '))
          .join(' '),
      );
      let tables = 0;
      let logos = 0;
      const withLogo = config.includes('logo');
      // LibreOffice opens the three files in one run.
      const drawings = officeConvertAll(
        soffice!,
        talks.map((talk) => join(dir, 'dist', talk, `${talk}.pptx`)),
        'pdf:impress_pdf_Export',
        'pdf',
      );
      for (const [t, talk] of talks.entries()) {
        const folder = join(dir, 'dist', talk);
        const pptx = await readPptx(join(folder, `${talk}.pptx`));
        // A layout for each of Lectern's nine layouts (and PowerPoint's own blank one), the logo on each.
        expect(pptx.layouts, talk).toBeGreaterThanOrEqual(9);
        if (withLogo) expect(pptx.layoutsWithPicture, talk).toBeGreaterThanOrEqual(9);
        const pdf = join(folder, `${talk}.pdf`);
        const pages = pdfPages(pdf, pptx.slides.length);
        expect(pptx.slides.length, talk).toBe(pages.length);
        pptx.slides.forEach((slide, i) => {
          const have = new Set(words(`${slide.text} ${slide.pictures.map((p) => p.descr).join(' ')}`));
          // Words drawn inside a picture file (an SVG's own text) are the picture's.
          if (slide.pictures.length) for (const w of pictureWords) have.add(w);
          // The slide number is a field PowerPoint fills in.
          const missing = words(pages[i]!).filter((w) => !have.has(w) && w !== String(i + 1));
          expect(
            missing,
            `${talk} slide ${i + 1}: words on the slide that are not text in the PowerPoint file`,
          ).toEqual([]);
          for (const picture of slide.pictures)
            if (picture.name !== 'Lectern logo')
              expect(picture.descr, `${talk} slide ${i + 1}: picture ${picture.name}`).not.toBe('');
          logos += slide.pictures.filter((p) => p.name === 'Lectern logo').length;
          tables += slide.tables;
        });
        // The notes, slide by slide, as the deck has them.
        const notes = pptx.slides.map((s) => s.notes).filter(Boolean);
        expect(notes, talk).toEqual(htmlNotes(readFileSync(join(folder, 'index.html'), 'utf8')));

        // LibreOffice's drawing of each slide against Lectern's PNG of it.
        const drawn = greyPagesOfPdf(drawings[t]!, 320);
        expect(drawn.length).toBe(pptx.slides.length);
        const differences = drawn.map((page, i) =>
          slideDifference(page, greyOfPngFile(join(folder, 'slides', `${String(i + 1).padStart(3, '0')}.png`))),
        );
        const over = differences
          .map((d, i) => [i + 1, Math.round(d * 1000) / 1000] as const)
          .filter(([, d]) => d > THRESHOLD);
        expect(over, `${talk}: slides LibreOffice draws unlike Lectern (slide, difference)`).toEqual([]);
      }
      // The essay talk's table is a PowerPoint table.
      expect(tables).toBeGreaterThanOrEqual(1);
      // A logo on every slide is the layouts' (none is repeated on the slides).
      expect(logos).toBe(0);
    },
    600_000,
  );
});
