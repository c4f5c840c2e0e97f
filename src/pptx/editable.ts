import type {
  ChromeShape,
  DeckShapes,
  ShapeBox,
  ShapeParagraph,
  SlideShape,
  SlideShapes,
  TableCellShape,
} from '../browser/slide-shapes.js';
import { newPresentation, PX_PER_INCH, type PptxMeta, settle, xmlAttribute, xmlText } from './write.js';

type Presentation = ReturnType<typeof newPresentation>;
type Slide = ReturnType<Presentation['addSlide']>;
type MasterObjects = NonNullable<import('pptxgenjs').default.SlideMasterProps['objects']>;
type TextProps = import('pptxgenjs').default.TextProps;
type TableCell = import('pptxgenjs').default.TableCell;

/** Deck pixels to points. */
const PT_PER_PX = 72 / PX_PER_INCH;

/** Lectern's layouts: the file has a PowerPoint layout for each, whether the deck uses it or not. */
export const LECTERN_LAYOUTS = [
  'title',
  'section',
  'bullets',
  'two-column',
  'image',
  'quote',
  'code',
  'statement',
  'closing',
] as const;

/** A picture a slide shows, as bytes, by the URL path the page loaded it from. */
export interface PptxPicture {
  data: Uint8Array;
  type: string;
}

export interface EditableDeck extends PptxMeta {
  /** The template's name, for the file's theme. */
  template: string;
  /** The deck's language, on every run of text. */
  lang: string;
  shapes: DeckShapes;
  /** The deck's pictures by URL path (the logo's and backgrounds' included). */
  pictures: Map<string, PptxPicture>;
  /** PNGs of each slide's `render` shapes, in the order the slide lists them. */
  renders: Uint8Array[][];
}

/** How many of each kind of shape the file holds, for the report and the tests. */
export interface EditableCounts {
  textBoxes: number;
  tables: number;
  pictures: number;
  /** Formulas, diagrams and other drawings kept as pictures. */
  drawn: number;
}

/**
 * A PowerPoint file whose every word is text: each slide's shapes as native shapes (text boxes
 * with styled runs, tables, pictures with their alternative text, filled boxes), a PowerPoint
 * layout per Lectern layout whose title and body placeholders sit where the template puts them,
 * with the template's background, logo, footer and slide number, and a theme with the template's
 * colours and fonts. Text boxes shrink their text on overflow. Pure: the same bytes for the same
 * input and date.
 */
export async function writeEditablePptx(deck: EditableDeck): Promise<{ bytes: Uint8Array; counts: EditableCounts }> {
  const pptx = newPresentation(deck);
  const { theme } = deck.shapes;
  pptx.theme = {
    headFontFace: xmlAttribute(theme.headingFonts[0] ?? 'Arial'),
    bodyFontFace: xmlAttribute(theme.bodyFonts[0] ?? 'Arial'),
  };
  const lang = xmlAttribute(deck.lang);
  const counts: EditableCounts = { textBoxes: 0, tables: 0, pictures: 0, drawn: 0 };
  const pictureData = (src: string): string | null => {
    const picture = deck.pictures.get(src);
    return picture ? `${picture.type};base64,${Buffer.from(picture.data).toString('base64')}` : null;
  };

  // One layout per Lectern layout, from the first slide of it: its background and repeated
  // decoration, its title and body where that slide has them.
  const slides = deck.shapes.slides;
  const masters = new Map<string, { name: string; slide: SlideShapes }>();
  for (const slide of slides) if (!masters.has(slide.layout)) masters.set(slide.layout, { name: '', slide });
  const model = masters.get('bullets')?.slide ?? slides[0];
  for (const layout of LECTERN_LAYOUTS)
    if (!masters.has(layout) && model) masters.set(layout, { name: '', slide: model });
  // What a layout carries is what every slide of it shows alike (a footer that changes from
  // slide to slide is each slide's own); a layout no slide uses carries its model's.
  const sharedChrome = new Map<string, Set<string>>();
  for (const slide of slides) {
    const keys = new Set(slide.chrome.map(chromeKey));
    const known = sharedChrome.get(slide.layout);
    sharedChrome.set(slide.layout, known ? new Set([...known].filter((k) => keys.has(k))) : keys);
  }
  const shared = (layout: string): Set<string> =>
    sharedChrome.get(layout) ?? sharedChrome.get(model?.layout ?? '') ?? new Set();
  for (const [layout, master] of masters) {
    master.name = `Lectern ${layout.replace(/[^A-Za-z0-9-]/g, '') || 'slide'}`;
    const objects: MasterObjects = [];
    const own = master.slide.layout === layout;
    const title = master.slide.shapes.find((s) => s.kind === 'text' && s.role === 'title');
    const body = bodyBox(master.slide, deck);
    // Text typed into a slide made from the layout takes the look of the slide's own.
    const firstRun = (shape: SlideShape | undefined) =>
      shape?.kind === 'text' ? shape.paragraphs.find((p) => p.runs.length)?.runs[0] : undefined;
    const look = (shape: SlideShape | undefined) => {
      const run = firstRun(shape);
      return run
        ? {
            fontSize: points(run.size),
            color: hex(run.color),
            fontFace: xmlAttribute(run.fonts[0] ?? ''),
            bold: run.bold,
            align: (shape?.kind === 'text' && shape.paragraphs[0]?.align) || 'left',
            valign: 'top' as const,
            margin: 0,
          }
        : {};
    };
    if (title)
      objects.push({
        placeholder: {
          options: { name: `title (${alignOfText(title)})`, type: 'title', ...inches(title.box), ...look(title) },
          text: '',
        },
      });
    if (body)
      objects.push({
        placeholder: {
          options: {
            name: `body (${alignOfText(largestText(master.slide.shapes))})`,
            type: 'body',
            ...inches(body),
            ...look(largestText(master.slide.shapes)),
          },
          text: '',
        },
      });
    let slideNumber: import('pptxgenjs').default.SlideNumberProps | undefined;
    for (const c of master.slide.chrome) {
      if (!shared(layout).has(chromeKey(c))) continue;
      if (c.kind === 'logo') {
        const data = pictureData(c.src);
        if (data) objects.push({ image: { data, ...inches(c.box), objectName: LOGO } });
      } else if (c.kind === 'footer') {
        if (c.fill) objects.push({ rect: { ...inches(c.box), fill: { color: hex(c.fill) } } });
        const run = c.paragraphs[0]?.runs[0];
        objects.push({
          text: {
            text: xmlText(c.paragraphs.map((p) => p.runs.map((r) => r.text).join('')).join('\n')),
            options: {
              ...textBox(c.box, true),
              ...(run
                ? { color: hex(run.color), fontSize: points(run.size), fontFace: xmlAttribute(run.fonts[0] ?? '') }
                : {}),
              align: c.paragraphs[0]?.align ?? 'left',
              objectName: `Lectern footer (${c.paragraphs[0]?.align ?? 'left'})`,
              lang,
            },
          },
        });
      } else {
        const run = c.paragraphs[0]?.runs[0];
        if (c.fill) objects.push({ rect: { ...inches(c.box), fill: { color: hex(c.fill) } } });
        // Room for more digits than the slide measured had, on the side away from the edge.
        const wide = c.fill
          ? { ...c.box, x: c.box.x - c.box.w / 2, w: c.box.w * 2 }
          : { ...c.box, x: c.box.x - c.box.w, w: c.box.w * 2 };
        slideNumber = {
          ...inches(c.paragraphs[0]?.align === 'left' ? { ...c.box, w: c.box.w * 2 } : wide),
          ...(run
            ? { color: hex(run.color), fontSize: points(run.size), fontFace: xmlAttribute(run.fonts[0] ?? '') }
            : {}),
          align: c.fill ? 'center' : (c.paragraphs[0]?.align ?? 'right'),
          valign: 'middle',
          margin: 0,
        };
      }
    }
    pptx.defineSlideMaster({
      title: master.name,
      background: { color: hex(own ? master.slide.background.color : theme.background) },
      objects,
      ...(slideNumber ? { slideNumber } : {}),
    });
  }

  // The layouts' placeholders are numbered from 100 in the order they are defined.
  const placeholderIdx = new Map<string, { title?: number; body?: number }>();
  for (const [, master] of masters) {
    const hasTitle = master.slide.shapes.some((s) => s.kind === 'text' && s.role === 'title');
    const hasBody = bodyBox(master.slide, deck) !== null;
    placeholderIdx.set(master.name, {
      ...(hasTitle ? { title: 100 } : {}),
      ...(hasBody ? { body: hasTitle ? 101 : 100 } : {}),
    });
  }
  const slideLayouts: string[] = [];
  slides.forEach((shapes, index) => {
    const master = masters.get(shapes.layout)!;
    slideLayouts.push(master.name);
    const slide = pptx.addSlide({ masterName: master.name });
    if (shapes.background.image) {
      const data = pictureData(shapes.background.image);
      if (data) slide.background = { data };
    }
    if (!slide.background && shapes.background.color !== master.slide.background.color)
      slide.background = { color: hex(shapes.background.color) };
    // What the layout repeats is not drawn again; what differs from it is.
    const repeated = shared(shapes.layout);
    for (const c of shapes.chrome) if (!repeated.has(chromeKey(c))) addChrome(slide, c);
    const renders = deck.renders[index] ?? [];
    let drawn = 0;
    let bodyPlaced = false;
    const largestBody = largestText(shapes.shapes);
    for (const shape of shapes.shapes) {
      if (shape.kind === 'text') {
        // The title and the main text are the layout's placeholders (the outline view shows
        // them), at the slide's own boxes: marked here by name, made placeholders in the XML.
        const placeholder =
          shape.role === 'title' ? 'title' : shape === largestBody && !bodyPlaced ? 'body' : undefined;
        if (placeholder === 'body') bodyPlaced = true;
        slide.addText(runsOf(shape.paragraphs, lang, slides.length), {
          ...textBox(shape.box, shape.wrap),
          ...(placeholder ? { objectName: `Lectern ${placeholder}` } : {}),
        });
        counts.textBoxes++;
      } else if (shape.kind === 'rect') {
        slide.addShape(shape.radius > 2 ? 'roundRect' : 'rect', {
          ...inches(shape.box),
          fill: shape.fill ? { color: hex(shape.fill) } : { type: 'none' },
          line: shape.line ? { color: hex(shape.line.color), width: shape.line.width * PT_PER_PX } : { type: 'none' },
          ...(shape.radius > 2 ? { rectRadius: Math.min(0.5, shape.radius / Math.min(shape.box.w, shape.box.h)) } : {}),
        });
      } else if (shape.kind === 'picture') {
        const data = pictureData(shape.src);
        if (!data) continue;
        slide.addImage({ data, ...described(shape.alt), ...pictureBox(shape) });
        counts.pictures++;
      } else if (shape.kind === 'render') {
        const png = renders[drawn++];
        if (!png) continue;
        slide.addImage({
          data: `image/png;base64,${Buffer.from(png).toString('base64')}`,
          ...described(shape.alt),
          ...inches(shape.box),
        });
        counts.drawn++;
      } else {
        slide.addTable(tableRows(shape.rows, lang, slides.length), {
          ...inches(shape.box),
          colW: shape.columns.map((w) => Math.min(50, Math.max(0.01, w / PX_PER_INCH))),
          rowH: shape.rows.map((r) => Math.min(50, Math.max(0.01, r.height / PX_PER_INCH))),
          autoPage: false,
        });
        counts.tables++;
      }
    }
    if (shapes.notes) slide.addNotes(xmlText(shapes.notes));
  });

  const written = (await pptx.write({ outputType: 'uint8array', compression: false })) as Uint8Array;
  // pptxgenjs names every run's font a proportional sans-serif: code's and serif fonts say what they are.
  const pitches = new Map<string, number>();
  for (const s of slides)
    for (const shape of s.shapes)
      if (shape.kind === 'text')
        for (const p of shape.paragraphs)
          for (const r of p.runs) if (r.fonts[0]) pitches.set(xmlAttribute(r.fonts[0]), pitchFamily(r.fonts));
  // Bullets in the template's marker colour (pptxgenjs writes none): the slide's bulleted
  // paragraphs, in the order they were written, are its bullets in the XML.
  const markerColours = slides.map((s) =>
    s.shapes.flatMap((shape) =>
      shape.kind === 'text' ? shape.paragraphs.flatMap((p) => (p.bullet && p.runs.length ? [p.bullet.color] : [])) : [],
    ),
  );
  const bytes = await settle(written, deck.date ?? new Date(), (name, xml) => {
    if (name === 'ppt/theme/theme1.xml') return themeXml(xml, deck);
    if (/^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(name)) return markDecorative(alignedAsNamed(xml));
    const number = /^ppt\/slides\/slide(\d+)\.xml$/.exec(name)?.[1];
    if (!number) return xml;
    const idx = placeholderIdx.get(slideLayouts[Number(number) - 1] ?? '') ?? {};
    const colours = markerColours[Number(number) - 1] ?? [];
    let bullet = 0;
    const coloured = xml.replace(
      /(<a:buSzPct [^>]*\/>)?(<a:bu(?:Char|AutoNum)\b)/g,
      (whole, size = '', marker: string) => {
        const colour = colours[bullet++];
        return colour ? `<a:buClr><a:srgbClr val="${hex(colour)}"/></a:buClr>${size}${marker}` : whole;
      },
    );
    return asPlaceholders(markDecorative(coloured), idx).replace(
      /typeface="([^"]*)" pitchFamily="34"/g,
      (whole, face: string) => {
        const pitch = pitches.get(face);
        return pitch && pitch !== 34 ? `typeface="${face}" pitchFamily="${pitch}"` : whole;
      },
    );
  });
  return { bytes, counts };

  function addChrome(slide: Slide, c: ChromeShape): void {
    if (c.kind === 'logo') {
      const data = pictureData(c.src);
      if (data) slide.addImage({ data, ...inches(c.box), objectName: LOGO });
    } else {
      if (c.fill) slide.addShape('rect', { ...inches(c.box), fill: { color: hex(c.fill) }, line: { type: 'none' } });
      slide.addText(runsOf(c.paragraphs, lang, slides.length), { ...textBox(c.box, false), valign: 'middle' });
    }
  }
}

/**
 * The text boxes named `Lectern title` and `Lectern body` made the slide's title and body
 * placeholders, keeping their own position (pptxgenjs would put placeholder text at the layout's).
 */
function asPlaceholders(xml: string, idx: { title?: number; body?: number }): string {
  // The empty copies pptxgenjs adds of the layout's placeholders a slide did not fill go.
  const unfilled =
    /<p:sp><p:nvSpPr><p:cNvPr [^>]*>(?:<\/p:cNvPr>)?<p:cNvSpPr\/><p:nvPr><p:ph[^>]*hasCustomPrompt="1"[^>]*\/><\/p:nvPr>[\s\S]*?<\/p:sp>/g;
  return xml
    .replace(unfilled, '')
    .replace(
      /(<p:cNvPr id="\d+" name="Lectern (title|body)"[^>]*>(?:<\/p:cNvPr>)?<p:cNvSpPr)[^>]*(\/>)<p:nvPr(?:\/>|>[\s\S]*?<\/p:nvPr>)/g,
      (_whole, start: string, role: 'title' | 'body', close: string) => {
        const n = idx[role];
        const ph =
          role === 'title' ? '<p:ph type="title"/>' : `<p:ph type="body"${n === undefined ? '' : ` idx="${n}"`}/>`;
        return `${start}${close}<p:nvPr>${ph}</p:nvPr>`;
      },
    );
}

function alignOfText(shape: SlideShape | undefined): 'left' | 'center' | 'right' {
  return (shape?.kind === 'text' && shape.paragraphs[0]?.align) || 'left';
}

/**
 * A layout's text and placeholders aligned as their names say (`title (center)`): pptxgenjs
 * centres every paragraph of a layout. The names lose the suffix.
 */
function alignedAsNamed(xml: string): string {
  const algn = { left: 'l', center: 'ctr', right: 'r' } as const;
  return xml.replace(/<p:sp>[\s\S]*?<\/p:sp>/g, (sp) => {
    const named = /<p:cNvPr id="\d+" name="([^"]*?) \((left|center|right)\)"/.exec(sp);
    if (!named) return sp;
    return sp
      .replace(` name="${named[1]} (${named[2]})"`, ` name="${named[1]}"`)
      .replace(/<a:pPr([^>]*?) algn="\w+"/g, `<a:pPr$1 algn="${algn[named[2] as keyof typeof algn]}"`);
  });
}

/** Names of pictures that say nothing: the logo, and pictures whose alt text is empty. */
const LOGO = 'Lectern logo';
const DECORATIVE = 'Decorative picture';

/** A picture's description, or its name as a decorative one (marked so in `markDecorative`). */
function described(alt: string): { altText: string } | { objectName: string } {
  const text = xmlText(alt).trim();
  return text ? { altText: text } : { objectName: DECORATIVE };
}

/**
 * Pictures without a description are marked decorative, as PowerPoint's "Mark as decorative"
 * does, so a screen reader skips them (pptxgenjs would describe them as "preencoded.png").
 */
function markDecorative(xml: string): string {
  return xml.replace(
    new RegExp(`(<p:cNvPr id="\\d+" name="(?:${LOGO}|${DECORATIVE})") descr="[^"]*">`, 'g'),
    (_m, start: string) =>
      `${start}><a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>`,
  );
}

/** The body placeholder's box: where the slide's text and pictures are, under its title. */
function bodyBox(slide: SlideShapes, deck: EditableDeck): ShapeBox | null {
  const boxes = slide.shapes
    .filter((s) => !(s.kind === 'text' && s.role === 'title') && s.kind !== 'rect')
    .map((s) => s.box);
  if (boxes.length) {
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    return {
      x,
      y,
      w: Math.max(...boxes.map((b) => b.x + b.w)) - x,
      h: Math.max(...boxes.map((b) => b.y + b.h)) - y,
    };
  }
  const title = slide.shapes.find((s) => s.kind === 'text' && s.role === 'title');
  if (!title) return null;
  const top = title.box.y + title.box.h + 24;
  return { x: title.box.x, y: top, w: title.box.w, h: Math.max(48, deck.height - top - 64) };
}

function largestText(shapes: SlideShape[]): SlideShape | undefined {
  let best: SlideShape | undefined;
  for (const s of shapes)
    if (s.kind === 'text' && s.role === 'body' && (!best || s.box.w * s.box.h > best.box.w * best.box.h)) best = s;
  return best;
}

function chromeKey(c: ChromeShape): string {
  const box = [c.box.x, c.box.y, c.box.w, c.box.h].map((v) => Math.round(v / 4)).join(',');
  return c.kind === 'logo'
    ? `logo ${c.src} ${box}`
    : c.kind === 'number'
      ? 'number'
      : // Everything that shows: a footer centred on the first slide and left on the others differs.
        `${c.kind} ${box} ${c.fill} ${JSON.stringify(c.paragraphs.map((p) => [p.align, p.runs.map((r) => [r.text, r.color, r.size, r.bold, r.italic, r.fonts[0]])]))}`;
}

/**
 * A box in inches, kept within reach of the slide: content far past its edge (a slide of three
 * hundred bullets) would otherwise make sizes pptxgenjs takes for EMUs (a value of 100 or more)
 * and PowerPoint for a damaged file.
 */
function inches(box: ShapeBox): { x: number; y: number; w: number; h: number } {
  const limit = 60 * PX_PER_INCH;
  const clamp = (v: number, low: number) => Math.min(limit, Math.max(low, Number.isFinite(v) ? v : 0));
  return {
    x: clamp(box.x, -limit) / PX_PER_INCH,
    y: clamp(box.y, -limit) / PX_PER_INCH,
    w: clamp(box.w, 1) / PX_PER_INCH,
    h: clamp(box.h, 1) / PX_PER_INCH,
  };
}

function hex(colour: string): string {
  return colour.replace('#', '').toUpperCase();
}

/** A font size in points, within what PowerPoint takes (1 to 4000). */
function points(size: number): number {
  return Math.min(4000, Math.max(1, Math.round((Number.isFinite(size) ? size : 16) * PT_PER_PX * 10) / 10));
}

/** A text box at the slide's box, a little wider so another font's wider letters wrap where the slide does. */
function textBox(box: ShapeBox, wrap: boolean): import('pptxgenjs').default.TextPropsOptions {
  const spare = wrap ? Math.min(24, 0.04 * box.w) : 0.02 * box.w;
  return {
    ...inches({ ...box, w: box.w + spare }),
    margin: 0,
    valign: 'top',
    fit: 'shrink',
    wrap,
    paraSpaceBefore: 0,
    paraSpaceAfter: 0,
  };
}

/** A picture filled, contained or cropped in its box as the slide shows it. */
function pictureBox(shape: Extract<SlideShape, { kind: 'picture' }>): import('pptxgenjs').default.ImageProps {
  const { box, natural, fit } = shape;
  if (fit === 'fill' || !natural.w || !natural.h) return inches(box);
  const scale =
    fit === 'contain' ? Math.min(box.w / natural.w, box.h / natural.h) : Math.max(box.w / natural.w, box.h / natural.h);
  if (fit === 'contain') {
    const w = natural.w * scale;
    const h = natural.h * scale;
    return inches({ x: box.x + (box.w - w) / 2, y: box.y + (box.h - h) / 2, w, h });
  }
  return {
    ...inches({ x: box.x, y: box.y, w: natural.w * scale, h: natural.h * scale }),
    sizing: { type: 'cover', w: box.w / PX_PER_INCH, h: box.h / PX_PER_INCH },
  };
}

/** Paragraphs as pptxgenjs runs: the first run of a paragraph carries its properties, the last ends its line. */
function runsOf(paragraphs: ShapeParagraph[], lang: string, slideCount: number): TextProps[] {
  const out: TextProps[] = [];
  paragraphs.forEach((paragraph, p) => {
    const runs = paragraph.runs.length ? paragraph.runs : [];
    const last = runs.length - 1;
    const firstSize = runs[0]?.size ?? 16;
    if (!runs.length) {
      // An empty line of code keeps its place.
      out.push({ text: '', options: { breakLine: p < paragraphs.length - 1, lang } });
      return;
    }
    runs.forEach((run, i) => {
      const link = run.link;
      out.push({
        text: xmlText(run.text),
        options: {
          bold: run.bold,
          italic: run.italic,
          ...(run.underline ? { underline: { style: 'sng' } } : {}),
          ...(run.strike ? { strike: 'sngStrike' } : {}),
          color: hex(run.color),
          fontSize: points(run.size),
          fontFace: xmlAttribute(run.fonts[0] ?? ''),
          lang,
          ...(run.baseline === 'super' ? { superscript: true } : run.baseline === 'sub' ? { subscript: true } : {}),
          ...(run.highlight ? { highlight: hex(run.highlight) } : {}),
          // (pptxgenjs escapes the address itself.)
          ...(link && 'url' in link ? { hyperlink: { url: xmlText(link.url) } } : {}),
          ...(link && 'slide' in link && link.slide < slideCount ? { hyperlink: { slide: link.slide + 1 } } : {}),
          ...(i === 0
            ? {
                align: paragraph.align,
                paraSpaceBefore: Math.min(1000, Math.round(paragraph.spaceBefore * PT_PER_PX * 10) / 10),
                lineSpacingMultiple: Math.min(
                  5,
                  Math.max(0.7, Math.round((paragraph.lineHeight / (firstSize * 1.2)) * 100) / 100),
                ),
                ...(paragraph.bullet
                  ? {
                      bullet:
                        paragraph.bullet.kind === 'number'
                          ? { type: 'number' as const, numberStartAt: paragraph.bullet.start }
                          : { code: paragraph.bullet.char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0') },
                      indentLevel: paragraph.level,
                    }
                  : { bullet: false, ...(paragraph.level ? { indentLevel: paragraph.level } : {}) }),
              }
            : {}),
          ...(i === last && p < paragraphs.length - 1 ? { breakLine: true } : {}),
        },
      });
    });
  });
  return out;
}

function tableRows(rows: { cells: TableCellShape[] }[], lang: string, slideCount: number): TableCell[][] {
  return rows.map((row) =>
    row.cells.map((cell): TableCell => {
      const border = cell.border
        ? { type: 'solid' as const, pt: Math.max(0.25, cell.border.width * PT_PER_PX), color: hex(cell.border.color) }
        : { type: 'none' as const };
      return {
        text: runsOf(cell.paragraphs, lang, slideCount),
        options: {
          ...(cell.fill ? { fill: { color: hex(cell.fill) } } : {}),
          valign: cell.valign,
          align: cell.paragraphs[0]?.align ?? 'left',
          border: [{ type: 'none' }, { type: 'none' }, border, { type: 'none' }],
          margin: cell.padding.map((v) => Math.max(0.001, v / PX_PER_INCH)) as [number, number, number, number],
          ...(cell.colspan > 1 ? { colspan: cell.colspan } : {}),
          ...(cell.rowspan > 1 ? { rowspan: cell.rowspan } : {}),
        },
      };
    }),
  );
}

/** PowerPoint's pitch and family for a font stack: what a machine without the font goes by. */
function pitchFamily(fonts: string[]): number {
  const generic = fonts.find((f) => /^(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-\w+)$/.test(f));
  if (generic === 'monospace' || generic === 'ui-monospace') return 49;
  if (generic === 'serif' || generic === 'ui-serif') return 18;
  if (generic === 'cursive') return 66;
  return 34;
}

/** The theme with the template's colour scheme and fonts. */
function themeXml(xml: string, deck: EditableDeck): string {
  const t = deck.shapes.theme;
  const name = xmlAttribute(`Lectern ${deck.template}`);
  const srgb = (c: string) => `<a:srgbClr val="${hex(c)}"/>`;
  const scheme =
    `<a:clrScheme name="${name}">` +
    `<a:dk1>${srgb(t.text)}</a:dk1><a:lt1>${srgb(t.background)}</a:lt1>` +
    `<a:dk2>${srgb(t.heading)}</a:dk2><a:lt2>${srgb(t.codeBackground)}</a:lt2>` +
    `<a:accent1>${srgb(t.accent)}</a:accent1><a:accent2>${srgb(t.muted)}</a:accent2>` +
    `<a:accent3>${srgb(t.rule)}</a:accent3><a:accent4>${srgb(t.heading)}</a:accent4>` +
    `<a:accent5>${srgb(t.text)}</a:accent5><a:accent6>${srgb(t.codeBackground)}</a:accent6>` +
    `<a:hlink>${srgb(t.accent)}</a:hlink><a:folHlink>${srgb(t.muted)}</a:folHlink></a:clrScheme>`;
  const latin = (fonts: string[]) =>
    `<a:latin typeface="${xmlAttribute(fonts.find((f) => !/^(serif|sans-serif|monospace|system-ui)$/.test(f)) ?? 'Arial')}" pitchFamily="${pitchFamily(fonts)}" charset="0"/>`;
  return xml
    .replace(/<a:clrScheme name="Office">[\s\S]*?<\/a:clrScheme>/, scheme)
    .replace(/<a:fontScheme name="Office">/, `<a:fontScheme name="${name}">`)
    .replace(/(<a:majorFont>)<a:latin [^>]*\/>/, `$1${latin(t.headingFonts)}`)
    .replace(/(<a:minorFont>)<a:latin [^>]*\/>/, `$1${latin(t.bodyFonts)}`)
    .replace(/name="Office Theme"/g, `name="${name}"`);
}
