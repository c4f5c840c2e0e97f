import JSZip from 'jszip';
import pptxgenjs from 'pptxgenjs';
import type { SlideText, TextBox, TextParagraph } from '../browser/slide-text.js';

// The package's types describe a CommonJS default export; its ES module exports the class itself.
type Pptx = typeof pptxgenjs.default;
const PptxGenJS = ((pptxgenjs as unknown as { default?: Pptx }).default ?? pptxgenjs) as Pptx;
type MasterObjects = NonNullable<import('pptxgenjs').default.SlideMasterProps['objects']>;
type TextProps = import('pptxgenjs').default.TextProps;
type TextPropsOptions = import('pptxgenjs').default.TextPropsOptions;

/** Deck pixels to inches: a 1280×720 deck is PowerPoint's 13.333×7.5 in widescreen slide. */
const PX_PER_INCH = 96;
/** Deck pixels to points. */
const PT_PER_PX = 72 / PX_PER_INCH;

/** One slide of the PowerPoint file: a picture of what is not text, the text, the notes. */
export interface PptxSlide {
  png: Uint8Array;
  text: SlideText;
}

export interface PptxDeck {
  title: string;
  author?: string;
  subject?: string;
  /** The deck's language (`lang`), on every run of text. */
  lang: string;
  /** The deck's date: the file's dates, so a dated deck gives the same bytes every time. */
  date?: Date;
  /** The deck's size in pixels (its aspect ratio is the slides'). */
  width: number;
  height: number;
  slides: PptxSlide[];
}

/**
 * A PowerPoint file from pictures and text. Each slide's picture is its background; where the
 * slide gave text, the text is real PowerPoint text in the title and body placeholders of a slide
 * layout made for it (slides with the same layout and boxes share one), so PowerPoint's outline
 * view, search and editing see it. Notes go to the notes pane. Pure: the same bytes for the
 * same input and date.
 */
export async function writePptx(deck: PptxDeck): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'LECTERN', width: deck.width / PX_PER_INCH, height: deck.height / PX_PER_INCH });
  pptx.layout = 'LECTERN';
  pptx.title = xmlText(deck.title);
  if (deck.author) pptx.author = xmlText(deck.author);
  pptx.company = '';
  pptx.subject = xmlText(deck.subject ?? '');

  const masters = new Map<string, string>();
  const masterFor = (text: SlideText): string | null => {
    if (!text.title && !text.body) return null;
    const box = (b: TextBox | null): string => (b ? [b.x, b.y, b.w, b.h].map((v) => Math.round(v)).join(',') : '-');
    const key = `${text.layout}|${box(text.title)}|${box(text.body)}`;
    const known = masters.get(key);
    if (known) return known;
    // The layout's name comes from the built page: only letters, digits and dashes of it.
    const name = `Lectern ${text.layout.replace(/[^A-Za-z0-9-]/g, '') || 'slide'} ${masters.size + 1}`;
    const objects: MasterObjects = [];
    if (text.title)
      objects.push({ placeholder: { options: { name: 'title', type: 'title', ...inches(text.title) }, text: '' } });
    if (text.body)
      objects.push({ placeholder: { options: { name: 'body', type: 'body', ...inches(text.body) }, text: '' } });
    pptx.defineSlideMaster({ title: name, objects });
    masters.set(key, name);
    return name;
  };

  for (const { png, text } of deck.slides) {
    const master = masterFor(text);
    const slide = master ? pptx.addSlide({ masterName: master }) : pptx.addSlide();
    slide.background = { data: `image/png;base64,${Buffer.from(png).toString('base64')}` };
    if (text.title)
      slide.addText(runs(text.title.paragraphs, deck.lang), {
        placeholder: 'title',
        lang: xmlAttribute(deck.lang),
        ...boxStyle(text.title),
      });
    if (text.body)
      slide.addText(runs(text.body.paragraphs, deck.lang), {
        placeholder: 'body',
        lang: xmlAttribute(deck.lang),
        ...boxStyle(text.body),
      });
    if (text.notes) slide.addNotes(xmlText(text.notes));
  }
  const written = (await pptx.write({ outputType: 'uint8array', compression: false })) as Uint8Array;
  return settle(written, deck.date ?? new Date());
}

/**
 * The file pptxgenjs wrote, made right and repeatable: one paragraph property element a paragraph
 * (it writes one a run, and a run after the first says "no bullet, no indent", which readers take
 * for the paragraph's), and the deck's date in its properties and on every part, so a dated deck
 * gives the same bytes every time.
 */
async function settle(written: Uint8Array, date: Date): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(written);
  const when = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out = new JSZip();
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name]!;
    if (entry.dir) continue;
    let data: string | Uint8Array;
    if (/^ppt\/(slides|slideLayouts|slideMasters|notesSlides)\/[^/]+\.xml$/.test(name)) {
      data = oneParagraphProperty(await entry.async('string'));
    } else if (name === 'docProps/core.xml') {
      data = (await entry.async('string')).replace(
        /(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g,
        (_m, open: string, _k: string, close: string) => `${open}${when}${close}`,
      );
    } else data = await entry.async('uint8array');
    // Pictures are compressed already; the XML is worth compressing.
    out.file(name, data, {
      date,
      createFolders: false,
      compression: /\.(png|jpe?g)$/i.test(name) ? 'STORE' : 'DEFLATE',
    });
  }
  return out.generateAsync({ type: 'uint8array', platform: 'UNIX' });
}

/** Keeps the first `<a:pPr>` of every `<a:p>` and drops the others. */
export function oneParagraphProperty(xml: string): string {
  return xml.replace(/<a:p>([\s\S]*?)<\/a:p>/g, (_whole, inner: string) => {
    let seen = false;
    const kept = inner.replace(/<a:pPr\b[^>]*?(?:\/>|>[\s\S]*?<\/a:pPr>)/g, (pPr: string) => {
      if (seen) return '';
      seen = true;
      return pPr;
    });
    return `<a:p>${kept}</a:p>`;
  });
}

/**
 * Text as XML 1.0 may hold it: control characters (but tab and line breaks), unpaired surrogates
 * and U+FFFE/U+FFFF left out. One of them in a slide's XML makes PowerPoint refuse the file and
 * other readers drop the slide.
 */
export function xmlText(text: string): string {
  return text.replace(
    /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

/**
 * A value pptxgenjs writes into an attribute as it is given (a font's name, a language): escaped
 * here, so no value can end the attribute or the element.
 */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function inches(box: TextBox): { x: number; y: number; w: number; h: number } {
  // A little room, so text measured to fit in the browser still fits with PowerPoint's metrics.
  const spare = 0.04 * box.w;
  return {
    x: box.x / PX_PER_INCH,
    y: box.y / PX_PER_INCH,
    w: (box.w + spare) / PX_PER_INCH,
    h: box.h / PX_PER_INCH,
  };
}

function boxStyle(box: TextBox): TextPropsOptions {
  return { ...inches(box), margin: 0, valign: 'top', fit: 'none', paraSpaceBefore: 0, paraSpaceAfter: 0 };
}

/** Paragraphs as pptxgenjs runs: each run its style, the last run of a paragraph ending its line. */
function runs(paragraphs: TextParagraph[], lang: string): TextProps[] {
  const out: TextProps[] = [];
  paragraphs.forEach((paragraph, p) => {
    const last = paragraph.runs.length - 1;
    paragraph.runs.forEach((run, i) => {
      out.push({
        text: xmlText(run.text),
        options: {
          bold: run.bold,
          italic: run.italic,
          color: run.color.replace('#', ''),
          fontSize: Math.round(run.size * PT_PER_PX * 10) / 10,
          fontFace: xmlAttribute(run.font),
          lang: xmlAttribute(lang),
          align: paragraph.align,
          ...(i === 0 && paragraph.bullet
            ? {
                bullet: paragraph.bullet === 'number' ? { type: 'number' } : true,
                indentLevel: paragraph.level,
              }
            : i === 0
              ? { bullet: false }
              : {}),
          ...(i === last && p < paragraphs.length - 1 ? { breakLine: true } : {}),
        },
      });
    });
  });
  return out;
}
