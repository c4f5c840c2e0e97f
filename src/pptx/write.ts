import JSZip from 'jszip';
import pptxgenjs from 'pptxgenjs';

// The package's types describe a CommonJS default export; its ES module exports the class itself.
type Pptx = typeof pptxgenjs.default;
const PptxGenJS = ((pptxgenjs as unknown as { default?: Pptx }).default ?? pptxgenjs) as Pptx;
/** Deck pixels to inches: a 1280×720 deck is PowerPoint's 13.333×7.5 in widescreen slide. */
export const PX_PER_INCH = 96;

/** One slide of the picture-per-slide file: its picture and its notes. */
export interface PptxSlide {
  png: Uint8Array;
  notes: string;
}

export interface PptxDeck extends PptxMeta {
  slides: PptxSlide[];
}

/** What both kinds of file say of the deck: its title, author and subject, and its slide size. */
export interface PptxMeta {
  title: string;
  author?: string;
  subject?: string;
  /** The deck's date: the file's dates, so a dated deck gives the same bytes every time. */
  date?: Date;
  /** The deck's size in pixels (its aspect ratio is the slides'). */
  width: number;
  height: number;
}

/** A presentation of the deck's slide size and properties, with no slides yet. */
export function newPresentation(meta: PptxMeta): InstanceType<Pptx> {
  const pptx = new PptxGenJS();
  pptx.defineLayout({ name: 'LECTERN', width: meta.width / PX_PER_INCH, height: meta.height / PX_PER_INCH });
  pptx.layout = 'LECTERN';
  pptx.title = xmlText(meta.title);
  if (meta.author) pptx.author = xmlText(meta.author);
  pptx.company = '';
  pptx.subject = xmlText(meta.subject ?? '');
  return pptx;
}

/**
 * The picture-per-slide PowerPoint file (`--pptx-pictures`): each slide a picture of the slide
 * as Lectern draws it, pixel for pixel, with its notes in the notes pane. Nothing on it is
 * editable text. Pure: the same bytes for the same input and date.
 */
export async function writePicturePptx(deck: PptxDeck): Promise<Uint8Array> {
  const pptx = newPresentation(deck);
  for (const { png, notes } of deck.slides) {
    const slide = pptx.addSlide();
    slide.background = { data: `image/png;base64,${Buffer.from(png).toString('base64')}` };
    if (notes) slide.addNotes(xmlText(notes));
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
export async function settle(
  written: Uint8Array,
  date: Date,
  transform?: (name: string, xml: string) => string,
): Promise<Uint8Array> {
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
    if (transform && name.endsWith('.xml'))
      data = transform(name, typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
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
