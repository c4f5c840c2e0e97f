import type { PDFDocument, PDFObject } from 'pdf-lib';

/**
 * Reads a finished PDF back and reports what the machine-checkable part of PDF/UA-1 would find
 * wrong with it, each problem named after its Matterhorn Protocol checkpoint (docs/pdf.md lists
 * them, and those Lectern does not check). Works on the file's objects only; no rendering.
 */

export interface UaProblem {
  /** The Matterhorn checkpoint, such as `13-004`. */
  checkpoint: string;
  message: string;
  /** The 0-based page the problem is on, when it is on one. */
  page: number | null;
}

/** PDF 1.7's standard structure types: anything else must be role-mapped to one of them. */
const standard = new Set(
  (
    'Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 H4 H5 H6 ' +
    'L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry Code Link Annot ' +
    'Ruby RB RT RP Warichu WT WP Figure Formula Form'
  ).split(' '),
);

/** Reads a PDF (parsed with pdf-lib, as `loadPdf` gives it) against PDF/UA-1's checkpoints. */
export async function checkPdfUa(doc: PDFDocument): Promise<UaProblem[]> {
  const lib = await import('pdf-lib');
  const { PDFArray, PDFDict, PDFName, PDFRef, PDFBool, PDFStream } = lib;
  const problems: UaProblem[] = [];
  const say = (checkpoint: string, message: string, page: number | null = null) =>
    problems.push({ checkpoint, message, page });
  const catalog = doc.catalog;
  const name = (key: string) => PDFName.of(key);

  // The document as a whole.
  const metadata = catalog.lookup(name('Metadata'));
  if (!(metadata instanceof PDFStream)) say('06-001', 'the document has no XMP metadata stream');
  else {
    const xmp = Buffer.from((metadata as unknown as { getContents(): Uint8Array }).getContents()).toString('utf8');
    if (!/<dc:title>/.test(xmp)) say('06-003', 'the XMP metadata has no dc:title');
  }
  const prefs = catalog.lookup(name('ViewerPreferences'));
  const display = prefs instanceof PDFDict ? prefs.lookup(name('DisplayDocTitle')) : undefined;
  if (!(display instanceof PDFBool) || display.asBoolean() !== true)
    say('07-001', 'the viewer is not told to show the document title (DisplayDocTitle)');
  if (!catalog.lookup(name('Lang'))) say('11-006', 'the document does not say its language (/Lang)');
  const markInfo = catalog.lookup(name('MarkInfo'));
  const marked = markInfo instanceof PDFDict ? markInfo.lookup(name('Marked')) : undefined;
  if (!(marked instanceof PDFBool) || !marked.asBoolean()) say('01-002', 'the document is not marked as tagged');

  const pages = doc.getPages();
  const pageIndex = new Map<string, number>(pages.map((p, i) => [p.ref.toString(), i]));
  pages.forEach((page, i) => {
    if (page.node.get(name('StructParents')) === undefined)
      say('01-005', 'nothing on this page is in the document structure', i);
  });

  const root = catalog.lookup(name('StructTreeRoot'));
  if (!(root instanceof PDFDict)) {
    say('01-005', 'the document has no structure tree');
    return problems;
  }
  const roleMap = root.lookup(name('RoleMap'));
  const mapped = (type: string): string => {
    let current = type;
    for (let hops = 0; hops < 10 && !standard.has(current); hops++) {
      const to = roleMap instanceof PDFDict ? roleMap.lookup(name(current)) : undefined;
      if (!(to instanceof PDFName)) return current;
      current = to.decodeText();
    }
    return current;
  };

  let lastHeading = 0;
  const unmapped = new Set<string>();
  const visit = (obj: PDFObject | undefined, page: number | null, depth: number, inTable: { th: boolean } | null) => {
    if (depth > 200 || obj === undefined) return;
    const value = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
    if (value instanceof PDFArray) {
      for (let i = 0; i < value.size(); i++) visit(value.get(i), page, depth + 1, inTable);
      return;
    }
    if (!(value instanceof PDFDict)) return;
    const pg = value.get(name('Pg'));
    const here = pg instanceof PDFRef ? (pageIndex.get(pg.toString()) ?? page) : page;
    const s = value.lookup(name('S'));
    if (!(s instanceof PDFName)) {
      // A marked-content or object reference: no element of its own.
      return;
    }
    const type = s.decodeText();
    const role = mapped(type);
    if (!standard.has(role)) unmapped.add(type);
    if (role === 'Figure') {
      const alt = value.lookup(name('Alt')) ?? value.lookup(name('ActualText'));
      if (!alt) say('13-004', 'a picture (Figure) has no alternative text', here);
    }
    const level = /^H([1-6])$/.exec(role)?.[1];
    if (level) {
      const n = Number(level);
      if (lastHeading && n > lastHeading + 1)
        say('14-003', `a heading of level ${n} follows one of level ${lastHeading}: a level is skipped`, here);
      lastHeading = n;
    }
    const table = role === 'Table' ? { th: false } : inTable;
    if (role === 'TH' && inTable) inTable.th = true;
    visit(value.get(name('K')), here, depth + 1, table);
    if (role === 'Table' && table && !table.th) say('15-003', 'a table has no header cells (TH)', here);
  };
  visit(root.get(name('K')), null, 0, null);
  for (const type of unmapped) say('02-001', `the structure type ${type} is neither standard nor mapped to one`);
  return problems;
}
