import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { DeckShapes, ShapeParagraph, ShapeRun, SlideShapes } from '../../src/browser/slide-shapes.js';
import { writeEditablePptx } from '../../src/pptx/editable.js';

const run = (text: string, more: Partial<ShapeRun> = {}): ShapeRun => ({
  text,
  bold: false,
  italic: false,
  underline: false,
  strike: false,
  color: '#1d232b',
  size: 32,
  fonts: ['Inter', 'Arial', 'sans-serif'],
  ...more,
});
const paragraph = (runs: ShapeRun[], more: Partial<ShapeParagraph> = {}): ShapeParagraph => ({
  runs,
  bullet: null,
  level: 0,
  align: 'left',
  spaceBefore: 0,
  lineHeight: 43,
  ...more,
});
const box = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==',
  'base64',
);

function deck(slides: SlideShapes[]): DeckShapes {
  return {
    slides,
    theme: {
      background: '#fbfaf7',
      text: '#1d232b',
      heading: '#101820',
      accent: '#0b6e6e',
      muted: '#5b6573',
      rule: '#d9dde3',
      codeBackground: '#f1f3f6',
      headingFonts: ['Source Serif 4', 'Georgia', 'serif'],
      bodyFonts: ['Inter', 'Arial', 'sans-serif'],
    },
  };
}

const background = { color: '#fbfaf7', image: null };

async function write(slides: SlideShapes[]) {
  const { bytes, counts } = await writeEditablePptx({
    title: 'T',
    template: 'default',
    lang: 'en',
    date: new Date('2026-01-01T00:00:00Z'),
    width: 1280,
    height: 720,
    shapes: deck(slides),
    pictures: new Map([['/images/a.png', { data: png, type: 'image/png' }]]),
    renders: slides.map((s) => s.shapes.filter((x) => x.kind === 'render').map(() => png)),
  });
  const zip = await JSZip.loadAsync(bytes);
  const text = (name: string) => zip.file(name)!.async('string');
  return { zip, text, counts, bytes };
}

describe('the editable PowerPoint writer', () => {
  const slides: SlideShapes[] = [
    {
      layout: 'bullets',
      background,
      notes: 'Say it slowly.',
      chrome: [
        {
          kind: 'footer',
          box: box(24, 680, 300, 24),
          paragraphs: [paragraph([run('A footer', { size: 16 })])],
          fill: null,
        },
        {
          kind: 'number',
          box: box(1240, 690, 24, 20),
          paragraphs: [paragraph([run('1', { size: 14 })])],
          fill: '#ffffff',
        },
      ],
      shapes: [
        { kind: 'rect', box: box(24, 90, 200, 4), fill: '#0b6e6e', line: null, radius: 0 },
        {
          kind: 'text',
          role: 'title',
          box: box(24, 20, 900, 60),
          wrap: true,
          paragraphs: [paragraph([run('The title', { bold: true, size: 48 })])],
        },
        {
          kind: 'text',
          role: 'body',
          box: box(24, 150, 1000, 300),
          wrap: true,
          paragraphs: [
            paragraph([run('First '), run('bold', { bold: true }), run(' point')], {
              bullet: { kind: 'disc', char: '•', color: '#0b6e6e' },
            }),
            paragraph([run('see slide two', { link: { slide: 1 } })], {
              bullet: { kind: 'disc', char: '•', color: '#0b6e6e' },
              level: 1,
            }),
            paragraph([run('a site', { link: { url: 'https://example.org/?a=1&b=2' } })]),
          ],
        },
        {
          kind: 'text',
          role: 'code',
          box: box(24, 470, 800, 100),
          wrap: false,
          paragraphs: [paragraph([run('const x = 1;', { fonts: ['JetBrains Mono', 'monospace'], color: '#7a3e9d' })])],
        },
      ],
    },
    {
      layout: 'image',
      background: { ...background, color: '#0b6e6e' },
      notes: '',
      chrome: [],
      shapes: [
        {
          kind: 'picture',
          box: box(100, 100, 400, 200),
          src: '/images/a.png',
          alt: 'A dot',
          natural: { w: 100, h: 100 },
          fit: 'cover',
        },
        { kind: 'render', box: box(600, 100, 300, 200), clip: box(0, 0, 300, 200), alt: 'E = mc^2' },
        { kind: 'render', box: box(950, 100, 100, 100), clip: box(0, 0, 100, 100), alt: '' },
        {
          kind: 'table',
          box: box(100, 400, 600, 120),
          columns: [300, 300],
          rows: [
            {
              height: 40,
              cells: ['Name', 'Value'].map((t) => ({
                paragraphs: [paragraph([run(t, { bold: true })])],
                header: true,
                fill: null,
                border: { color: '#1d232b', width: 2 },
                colspan: 1,
                rowspan: 1,
                valign: 'top' as const,
                padding: [8, 16, 8, 16] as [number, number, number, number],
              })),
            },
          ],
        },
      ],
    },
  ];

  it('writes the title and main text as placeholders at their own boxes, runs with their styles, links and bullets in the marker colour', async () => {
    const { text, counts } = await write(slides);
    const first = await text('ppt/slides/slide1.xml');
    expect(first).toMatch(/name="Lectern title"><\/p:cNvPr><p:cNvSpPr\/><p:nvPr><p:ph type="title"\/><\/p:nvPr>/);
    expect(first).toMatch(/name="Lectern body"><\/p:cNvPr><p:cNvSpPr\/><p:nvPr><p:ph type="body" idx="101"\/>/);
    // No empty copy of a layout placeholder is left on the slide: its title, its body, its number.
    expect(first).not.toContain('hasCustomPrompt');
    expect(first.match(/<p:ph\b[^>]*>/g)?.map((ph) => /type="(\w+)"/.exec(ph)?.[1])).toEqual([
      'title',
      'body',
      'sldNum',
    ]);
    // The title at the slide's box: 24 px = 0.25 in = 228600 EMU from the left.
    expect(first).toMatch(/name="Lectern title"[\s\S]*?<a:off x="228600" y="190500"\/>/);
    expect(first).toContain('<a:normAutofit/>');
    expect(first.match(/<a:buClr><a:srgbClr val="0B6E6E"\/><\/a:buClr>/g)).toHaveLength(2);
    expect(first).toMatch(/<a:rPr [^>]*b="1"[^>]*>[\s\S]*?<a:t>bold<\/a:t>/);
    expect(first).toContain('<a:t>const x = 1;</a:t>');
    // The code font says it is monospaced (pitch and family 49); the body font a sans-serif (34).
    expect(first).toContain('typeface="JetBrains Mono" pitchFamily="49"');
    expect(first).toContain('typeface="Inter" pitchFamily="34"');
    const rels = await text('ppt/slides/_rels/slide1.xml.rels');
    // Escaped once: the reader gets the address back as it was.
    expect(rels).toContain('Target="https://example.org/?a=1&amp;b=2"');
    expect(rels).toMatch(/Target="slide2\.xml"/);
    expect(counts).toMatchObject({ textBoxes: 3, tables: 1, pictures: 1, drawn: 2 });
  });

  it('writes pictures with their descriptions, a cover crop, a table as a table, and the background as the layout has it', async () => {
    const { text } = await write(slides);
    const second = await text('ppt/slides/slide2.xml');
    expect(second).toContain('descr="A dot"');
    expect(second).toContain('descr="E = mc^2"');
    // A picture with no alt text is marked decorative, not described by a file name.
    expect(second).not.toContain('preencoded');
    expect(second).toMatch(/name="Decorative picture"><a:extLst><a:ext [^>]*><adec:decorative [^>]*val="1"\/>/);
    // Cover: a square picture in a 2:1 box loses a quarter top and bottom.
    expect(second).toContain('<a:srcRect l="0" r="0" t="25000" b="25000"/>');
    expect(second).toContain('<a:tbl>');
    expect(second.match(/<a:tc>/g)).toHaveLength(2);
    // Its colour is its layout's (the image layout's first slide is this one): not repeated on the slide.
    expect(second).not.toContain('<p:bg>');
  });

  it("makes a layout per Lectern layout with the template's placeholders, footer and number, and a theme of its colours and fonts", async () => {
    const { zip, text } = await write(slides);
    const layouts = Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n));
    const names = await Promise.all(layouts.map(async (n) => /<p:cSld name="([^"]+)"/.exec(await text(n))?.[1]));
    for (const layout of [
      'title',
      'section',
      'bullets',
      'two-column',
      'image',
      'quote',
      'code',
      'statement',
      'closing',
    ])
      expect(names).toContain(`Lectern ${layout}`);
    const image = await text(layouts[names.indexOf('Lectern image')]!);
    expect(image).toMatch(/<p:bg>[\s\S]*?val="0B6E6E"/);
    const bullets = await text(layouts[names.indexOf('Lectern bullets')]!);
    expect(bullets).toContain('type="title"');
    expect(bullets).toContain('type="body"');
    expect(bullets).toContain('<a:t>A footer</a:t>');
    expect(bullets).toContain('type="sldNum"');
    const theme = await text('ppt/theme/theme1.xml');
    expect(theme).toContain('<a:clrScheme name="Lectern default">');
    expect(theme).toContain('<a:accent1><a:srgbClr val="0B6E6E"/></a:accent1>');
    expect(theme).toContain('<a:majorFont><a:latin typeface="Source Serif 4" pitchFamily="18" charset="0"/>');
    expect(theme).toContain('<a:minorFont><a:latin typeface="Inter" pitchFamily="34" charset="0"/>');
  });

  it("puts in a layout only what every slide of it shows alike: a footer centred on one slide and not the next is each slide's own", async () => {
    const footer = (align: 'left' | 'center') => ({
      kind: 'footer' as const,
      box: box(24, 680, 900, 24),
      paragraphs: [paragraph([run('Venue, date', { size: 16 })], { align })],
      fill: null,
    });
    const title = (t: string) => ({
      kind: 'text' as const,
      role: 'title' as const,
      box: box(24, 20, 900, 60),
      wrap: true,
      paragraphs: [paragraph([run(t)])],
    });
    const plain = (align: 'left' | 'center', t: string): SlideShapes => ({
      layout: 'bullets',
      background,
      notes: '',
      chrome: [footer(align)],
      shapes: [title(t)],
    });
    const { zip, text } = await write([plain('center', 'One'), plain('left', 'Two'), plain('left', 'Three')]);
    const layouts = Object.keys(zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n));
    for (const name of layouts) expect(await text(name), name).not.toContain('Venue, date');
    for (const [n, algn] of [
      [1, 'ctr'],
      [2, 'l'],
      [3, 'l'],
    ] as const) {
      const xml = await text(`ppt/slides/slide${n}.xml`);
      expect(xml).toMatch(new RegExp(`<a:pPr algn="${algn}"[^>]*>(?:(?!</a:p>).)*<a:t>Venue, date</a:t>`));
    }
    // A footer every slide shows alike is the layout's, aligned as on the slides.
    const same = await write([plain('left', 'One'), plain('left', 'Two')]);
    const withFooter = [];
    for (const name of Object.keys(same.zip.files).filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n)))
      if ((await same.text(name)).includes('Venue, date')) withFooter.push(await same.text(name));
    expect(withFooter.length).toBeGreaterThanOrEqual(9);
    expect(withFooter[0]).toMatch(/<a:pPr algn="l"[^>]*>(?:(?!<\/a:p>).)*<a:t>Venue, date<\/a:t>/);
    expect(await same.text('ppt/slides/slide1.xml')).not.toContain('Venue, date');
  });

  it('gives the same bytes for the same deck and date', async () => {
    const a = await write(slides);
    const b = await write(slides);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
  });
});
