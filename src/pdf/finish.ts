import type { SlideSummary } from '../model/summary.js';
import type { PDFDict, PDFDocument, PDFRef } from 'pdf-lib';
import { appendFinish, type Bookmark, type PdfInfo, roleMap, xmpPacket } from './append.js';

type PdfLib = typeof import('pdf-lib');
let pdfLib: Promise<PdfLib> | null = null;

/** pdf-lib, loaded once, when a PDF is first read back or rewritten. */
function loadPdfLib(): Promise<PdfLib> {
  pdfLib ??= import('pdf-lib');
  return pdfLib;
}

/** A PDF parsed by pdf-lib, whole (fastest: without yielding to the event loop every few objects). */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  const { PDFDocument, ParseSpeeds } = await loadPdfLib();
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

/**
 * A parsed PDF written out again with its objects packed into compressed object streams.
 * Chromium writes every structure element as an object of its own, uncompressed: a tagged deck
 * of tables is several times its untagged size, and about half of that once packed.
 */
export async function compactPdf(doc: PDFDocument): Promise<Uint8Array> {
  return doc.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
}

/**
 * Adds metadata and bookmarks to the PDF Chromium printed. Chromium's own output is the same
 * for the same page; only its dates vary, and they are replaced here. A file shaped as Chromium
 * writes it gets an appended update (`appendFinish`); any other is rewritten whole by pdf-lib.
 */
export async function finishPdf(
  raw: Uint8Array,
  info: PdfInfo,
  bookmarks: Bookmark[],
): Promise<{ bytes: Uint8Array; pages: number }> {
  // Chromium's file as it is, with an update appended: no parse of the whole, no pdf-lib.
  const appended = appendFinish(raw, info, bookmarks);
  if (appended) return appended;
  const lib = await loadPdfLib();
  const { PDFDocument, ParseSpeeds } = lib;
  // Fastest: parse without yielding to the event loop every few objects.
  const doc = await PDFDocument.load(raw, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  doc.setTitle(info.title, { showInWindowTitleBar: true });
  if (info.author) doc.setAuthor(info.author);
  if (info.subject) doc.setSubject(info.subject);
  if (info.keywords.length) doc.setKeywords(info.keywords);
  doc.setLanguage(info.lang);
  doc.setCreator('Lectern');
  doc.setProducer('Lectern with Chromium');
  doc.setCreationDate(info.date);
  doc.setModificationDate(info.date);
  if (bookmarks.length) addBookmarks(doc, bookmarks, lib);
  // As the appended finish does: XMP metadata, and the structure types mapped to PDF 1.7's.
  const { PDFDict, PDFName } = lib;
  const metadata = doc.context.stream(Buffer.from(xmpPacket(info), 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));
  const structRoot = doc.catalog.lookup(PDFName.of('StructTreeRoot'));
  if (structRoot instanceof PDFDict && !structRoot.has(PDFName.of('RoleMap'))) {
    const roles = doc.context.obj(Object.fromEntries(Object.entries(roleMap).map(([k, v]) => [k, PDFName.of(v)])));
    structRoot.set(PDFName.of('RoleMap'), roles);
  }
  return { bytes: await doc.save({ useObjectStreams: true }), pages: doc.getPageCount() };
}

function addBookmarks(doc: PDFDocument, bookmarks: Bookmark[], { PDFHexString, PDFName, PDFNumber }: PdfLib): void {
  const context = doc.context;
  const pages = doc.getPages();
  const rootRef = context.nextRef();

  /** Writes a list of sibling bookmarks; returns first, last and how many entries in all. */
  const writeLevel = (items: Bookmark[], parent: PDFRef): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = items.map(() => context.nextRef());
    let count = items.length;
    items.forEach((item, i) => {
      const page = pages[Math.min(item.page, pages.length - 1)]!;
      const dict = context.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parent);
      dict.set(PDFName.of('Dest'), context.obj([page.ref, PDFName.of('Fit')]));
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]!);
      if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]!);
      if (item.children.length) {
        const below = writeLevel(item.children, refs[i]!);
        dict.set(PDFName.of('First'), below.first);
        dict.set(PDFName.of('Last'), below.last);
        dict.set(PDFName.of('Count'), PDFNumber.of(below.count));
        count += below.count;
      }
      context.assign(refs[i]!, dict);
    });
    return { first: refs[0]!, last: refs[refs.length - 1]!, count };
  };

  const top = writeLevel(bookmarks, rootRef);
  const root = context.obj({}) as PDFDict;
  root.set(PDFName.of('Type'), PDFName.of('Outlines'));
  root.set(PDFName.of('First'), top.first);
  root.set(PDFName.of('Last'), top.last);
  root.set(PDFName.of('Count'), PDFNumber.of(top.count));
  context.assign(rootRef, root);
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/**
 * The date a deck's front matter gives (`2026`, `2026-05`, `2026-05-01` or any date the
 * platform parses), as UTC midnight; null when there is none to read.
 */
export function parseDeckDate(text: string): Date | null {
  const value = text.trim();
  const parts = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(value);
  if (parts) {
    const [, y, m = '01', d = '01'] = parts;
    return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  }
  const parsed = Date.parse(value);
  return value && Number.isFinite(parsed) ? new Date(parsed) : null;
}

/**
 * Bookmarks from the slides: section slides hold the slides after them; other titled slides
 * stand alone. `pageOf` gives the first page of each slide.
 */
export function bookmarksFor(slides: SlideSummary[], pageOf: (slide: number) => number | undefined): Bookmark[] {
  const out: Bookmark[] = [];
  let section: Bookmark | null = null;
  slides.forEach((slide, index) => {
    const page = pageOf(index);
    if (page === undefined || !slide.title) return;
    const mark: Bookmark = { title: slide.title, page, children: [] };
    if (slide.layout === 'section') {
      section = mark;
      out.push(mark);
    } else if (slide.layout === 'title') {
      section = null;
      out.push(mark);
    } else if (section) {
      (section as Bookmark).children.push(mark);
    } else {
      out.push(mark);
    }
  });
  return out;
}
