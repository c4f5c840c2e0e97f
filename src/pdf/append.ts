/**
 * Finishing a PDF without parsing it whole: the PDF Chromium prints is left as it is, its two
 * dates written over in place (same length, so nothing moves), and an incremental update is
 * appended (a new document information dictionary, the catalog again with the bookmarks and the
 * language, the bookmarks themselves, their cross-reference section and trailer), as the PDF
 * format lets any writer do. Reads only the trailer, the catalog and the page tree. Returns null
 * for a file not shaped as expected (a cross-reference stream, an earlier update, encryption),
 * which is then finished the slow way.
 */

/** What the finished PDF says about itself. */
export interface PdfInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string[];
  lang: string;
  /** Creation and modification date; a fixed date makes the same deck give the same bytes. */
  date: Date;
  /** Say in the XMP that the file is PDF/UA-1 (`pdfuaid:part`): only for a file whose read-back found nothing. */
  pdfUa?: boolean;
}

/** One bookmark: a title, the 0-based page it opens, and bookmarks below it. */
export interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/** A PDF value as written, between two offsets of the file's text. */
interface Span {
  start: number;
  end: number;
}

const WHITE = /[\0\t\n\f\r ]/;
const DELIMITER = /[()<>[\]{}/%]/;

/** Skips white space and comments. */
function skip(text: string, at: number): number {
  let i = at;
  for (;;) {
    while (i < text.length && WHITE.test(text[i]!)) i++;
    if (text[i] !== '%') return i;
    while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  }
}

/** The end of the value that starts at `at` (after white space): a dictionary, array, string, name, number or keyword. */
function valueEnd(text: string, at: number): number {
  const i = skip(text, at);
  const ch = text[i];
  if (ch === undefined) throw new Error('end of file in a value');
  if (ch === '<' && text[i + 1] === '<') {
    let j = i + 2;
    for (;;) {
      j = skip(text, j);
      if (text[j] === '>' && text[j + 1] === '>') return j + 2;
      j = valueEnd(text, j);
    }
  }
  if (ch === '[') {
    let j = i + 1;
    for (;;) {
      j = skip(text, j);
      if (text[j] === ']') return j + 1;
      j = valueEnd(text, j);
    }
  }
  if (ch === '(') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
    }
    throw new Error('unclosed string');
  }
  if (ch === '<') {
    const j = text.indexOf('>', i);
    if (j < 0) throw new Error('unclosed hex string');
    return j + 1;
  }
  let j = i + 1;
  while (j < text.length && !WHITE.test(text[j]!) && !DELIMITER.test(text[j]!)) j++;
  return j;
}

/** The top-level entries of the dictionary at `at`: key to the span of its value. */
function readDict(text: string, at: number): { entries: Map<string, Span>; span: Span } {
  const start = skip(text, at);
  if (text.slice(start, start + 2) !== '<<') throw new Error('not a dictionary');
  const entries = new Map<string, Span>();
  let i = start + 2;
  for (;;) {
    i = skip(text, i);
    if (text[i] === '>' && text[i + 1] === '>') return { entries, span: { start, end: i + 2 } };
    if (text[i] !== '/') throw new Error('a dictionary key is not a name');
    const keyEnd = valueEnd(text, i);
    const key = text.slice(i + 1, keyEnd);
    let end = valueEnd(text, keyEnd);
    // A reference is three tokens: `12 0 R`.
    const ref = /^\s*\d+\s+\d+\s+R/.exec(text.slice(keyEnd, keyEnd + 40));
    if (ref) end = keyEnd + ref[0].length;
    entries.set(key, { start: skip(text, keyEnd), end });
    i = end;
  }
}

function refOf(text: string, span: Span | undefined): number | null {
  const m = span ? /^(\d+)\s+0\s+R$/.exec(text.slice(span.start, span.end).trim()) : null;
  return m ? Number(m[1]) : null;
}

/** The object numbers an array of references holds, in order. */
function refsIn(text: string, span: Span | undefined): number[] {
  if (!span) return [];
  return [...text.slice(span.start, span.end).matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1]));
}

/** A date as PDF writes it, in UTC: `D:20260501000000+00'00'`. */
export function pdfDate(date: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `D:${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+00'00'`;
}

/** The same date in the short form: `D:20260501000000Z`. */
function pdfDateZ(date: Date): string {
  return `${pdfDate(date).slice(0, 16)}Z`;
}

/** Text as a PDF text string: UTF-16BE with its byte order mark, in hex. */
function textString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/**
 * The PDF finished by an appended update, or null when the file is not as Chromium writes it.
 * `pages` is the number of pages its page tree holds.
 */
export function appendFinish(
  raw: Uint8Array,
  info: PdfInfo,
  bookmarks: Bookmark[],
): { bytes: Uint8Array; pages: number } | null {
  try {
    return append(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), info, bookmarks);
  } catch {
    return null;
  }
}

function append(raw: Buffer, info: PdfInfo, bookmarks: Bookmark[]): { bytes: Uint8Array; pages: number } | null {
  // Latin-1: one character a byte, so offsets in the text are offsets in the file.
  const text = raw.toString('latin1');
  const tail = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(text.slice(-256));
  if (!tail) return null;
  const xrefAt = Number(tail[1]);
  const trailerAt = text.lastIndexOf('trailer');
  if (trailerAt < xrefAt) return null;
  const trailer = readDict(text, trailerAt + 'trailer'.length).entries;
  if (trailer.has('Prev') || trailer.has('Encrypt') || trailer.has('XRefStm')) return null;
  const size = Number(text.slice(trailer.get('Size')!.start, trailer.get('Size')!.end));
  const rootNo = refOf(text, trailer.get('Root'));
  const infoNo = refOf(text, trailer.get('Info'));
  if (!Number.isInteger(size) || rootNo === null || infoNo === null) return null;

  // One cross-reference table, one subsection for every object.
  const head = /^xref\s+0\s+(\d+)\s+/.exec(text.slice(xrefAt, xrefAt + 64));
  if (!head || Number(head[1]) !== size) return null;
  const entriesAt = xrefAt + head[0].length;
  const offsetOf = (n: number): number => {
    if (n <= 0 || n >= size) throw new Error('object out of range');
    const entry = text.slice(entriesAt + n * 20, entriesAt + n * 20 + 18);
    if (!/^\d{10} \d{5} n$/.test(entry)) throw new Error('not an object in use');
    return Number(entry.slice(0, 10));
  };
  const objectDict = (n: number) => {
    const at = offsetOf(n);
    const m = new RegExp(`^${n}\\s+0\\s+obj`).exec(text.slice(at, at + 32));
    if (!m) throw new Error('the table points elsewhere');
    return readDict(text, at + m[0].length);
  };

  // The pages, in order, from the page tree.
  const catalog = objectDict(rootNo);
  const pages: number[] = [];
  const visit = (n: number, depth: number): void => {
    if (depth > 64) throw new Error('page tree too deep');
    const node = objectDict(n).entries;
    const type = node.get('Type');
    const kind = type ? text.slice(type.start, type.end).trim() : '';
    if (kind === '/Page') pages.push(n);
    else if (kind === '/Pages') for (const kid of refsIn(text, node.get('Kids'))) visit(kid, depth + 1);
    else throw new Error('not a page tree');
  };
  const pagesNo = refOf(text, catalog.entries.get('Pages'));
  if (pagesNo === null) return null;
  visit(pagesNo, 0);
  if (pages.length === 0) return null;

  // Chromium's own dates, written over with the deck's: the same length, so nothing moves.
  const date = pdfDate(info.date);
  const out = Buffer.from(raw);
  const oldInfo = objectDict(infoNo).entries;
  for (const key of ['CreationDate', 'ModDate']) {
    const span = oldInfo.get(key);
    if (!span) continue;
    const value = `(${date})`;
    if (span.end - span.start !== value.length) return null;
    out.write(value, span.start, 'latin1');
  }

  // The update: objects redefined or added, then their table and the trailer.
  const objects = new Map<number, string>();
  const infoDict = [
    `/Title ${textString(info.title)}`,
    info.author ? `/Author ${textString(info.author)}` : '',
    info.subject ? `/Subject ${textString(info.subject)}` : '',
    info.keywords.length ? `/Keywords ${textString(info.keywords.join(' '))}` : '',
    `/Creator ${textString('Lectern')}`,
    `/Producer ${textString('Lectern with Chromium')}`,
    `/CreationDate (${pdfDateZ(info.date)})`,
    `/ModDate (${pdfDateZ(info.date)})`,
  ].filter(Boolean);
  objects.set(infoNo, `<<${infoDict.join('\n')}>>`);

  let next = size;
  const catalogEntries = new Map<string, string>();
  for (const [key, span] of catalog.entries) catalogEntries.set(key, text.slice(span.start, span.end));
  // A language tag is plain ASCII, written as it is.
  catalogEntries.set('Lang', /^[A-Za-z0-9-]+$/.test(info.lang) ? `(${info.lang})` : textString(info.lang));
  const display = catalogEntries.get('ViewerPreferences');
  if (!display) catalogEntries.set('ViewerPreferences', '<</DisplayDocTitle true>>');
  if (bookmarks.length) {
    const rootRef = next++;
    const writeLevel = (items: Bookmark[], parent: number): { first: number; last: number; count: number } => {
      const refs = items.map(() => next++);
      let count = items.length;
      items.forEach((item, i) => {
        const page = pages[Math.min(item.page, pages.length - 1)]!;
        const entries = [
          `/Title ${textString(item.title)}`,
          `/Parent ${parent} 0 R`,
          `/Dest [${page} 0 R /Fit]`,
          i > 0 ? `/Prev ${refs[i - 1]} 0 R` : '',
          i < refs.length - 1 ? `/Next ${refs[i + 1]} 0 R` : '',
        ];
        if (item.children.length) {
          const below = writeLevel(item.children, refs[i]!);
          entries.push(`/First ${below.first} 0 R`, `/Last ${below.last} 0 R`, `/Count ${below.count}`);
          count += below.count;
        }
        objects.set(refs[i]!, `<<${entries.filter(Boolean).join('\n')}>>`);
      });
      return { first: refs[0]!, last: refs[refs.length - 1]!, count };
    };
    const top = writeLevel(bookmarks, rootRef);
    objects.set(rootRef, `<</Type /Outlines\n/First ${top.first} 0 R\n/Last ${top.last} 0 R\n/Count ${top.count}>>`);
    catalogEntries.set('Outlines', `${rootRef} 0 R`);
    catalogEntries.set('PageMode', '/UseOutlines');
  }
  // The structure types Chromium writes from PDF 2.0 are mapped to PDF 1.7's, as PDF/UA-1 and
  // the readers built on 1.7 need: the tree stays as Chromium made it, with a role map added.
  const structNo = refOf(text, catalog.entries.get('StructTreeRoot'));
  if (structNo !== null) {
    const root = objectDict(structNo).entries;
    if (!root.has('RoleMap')) {
      const entries = [...root].map(([k, span]) => `/${k} ${text.slice(span.start, span.end)}`);
      const roles = Object.entries(roleMap)
        .map(([from, to]) => `/${from} /${to}`)
        .join(' ');
      objects.set(structNo, `<<${[...entries, `/RoleMap <<${roles}>>`].join('\n')}>>`);
    }
  }
  // The document's metadata as XMP too, as PDF/UA asks: title, authors, language, dates.
  const xmp = Buffer.from(xmpPacket(info), 'utf8');
  const metadataNo = next++;
  objects.set(
    metadataNo,
    `<</Type /Metadata\n/Subtype /XML\n/Length ${xmp.length}>>\nstream\n${xmp.toString('latin1')}\nendstream`,
  );
  catalogEntries.set('Metadata', `${metadataNo} 0 R`);
  objects.set(rootNo, `<<${[...catalogEntries].map(([k, v]) => `/${k} ${v}`).join('\n')}>>`);

  const chunks: string[] = [out[out.length - 1] === 0x0a ? '' : '\n'];
  let at = out.length + chunks[0]!.length;
  const offsets = new Map<number, number>();
  for (const n of [...objects.keys()].sort((a, b) => a - b)) {
    const body = `${n} 0 obj\n${objects.get(n)}\nendobj\n`;
    offsets.set(n, at);
    chunks.push(body);
    at += Buffer.byteLength(body, 'latin1');
  }
  // Contiguous runs of object numbers, each a subsection of the table.
  const numbers = [...offsets.keys()].sort((a, b) => a - b);
  let table = 'xref\n';
  for (let i = 0; i < numbers.length; ) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    table += `${numbers[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) table += `${String(offsets.get(numbers[k]!)).padStart(10, '0')} 00000 n \n`;
    i = j + 1;
  }
  chunks.push(
    table,
    `trailer\n<</Size ${next}\n/Root ${rootNo} 0 R\n/Info ${infoNo} 0 R\n/Prev ${xrefAt}>>\nstartxref\n${at}\n%%EOF\n`,
  );
  return { bytes: Buffer.concat([out, Buffer.from(chunks.join(''), 'latin1')]), pages: pages.length };
}

/** PDF 2.0 structure types Chromium may write, as the PDF 1.7 types they stand for. */
export const roleMap: Record<string, string> = {
  Strong: 'Span',
  Em: 'Span',
  Sub: 'Span',
  Title: 'H',
  Aside: 'Div',
  DocumentFragment: 'Div',
  FENote: 'Note',
};

const xmlEscape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The XMP packet of a finished PDF (Dublin Core, XMP basic and PDF properties). */
export function xmpPacket(info: PdfInfo): string {
  const when = info.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const authors = info.author
    .split(/\s*,\s*/)
    .filter(Boolean)
    .map((a) => `<rdf:li>${xmlEscape(a)}</rdf:li>`)
    .join('');
  return [
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    ` xmlns:pdf="http://ns.adobe.com/pdf/1.3/"${info.pdfUa ? ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"' : ''}>`,
    `<dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(info.title)}</rdf:li></rdf:Alt></dc:title>`,
    authors ? `<dc:creator><rdf:Seq>${authors}</rdf:Seq></dc:creator>` : '',
    info.subject
      ? `<dc:description><rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(info.subject)}</rdf:li></rdf:Alt></dc:description>`
      : '',
    `<dc:language><rdf:Bag><rdf:li>${xmlEscape(info.lang)}</rdf:li></rdf:Bag></dc:language>`,
    '<dc:format>application/pdf</dc:format>',
    `<xmp:CreateDate>${when}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${when}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${when}</xmp:MetadataDate>`,
    '<xmp:CreatorTool>Lectern</xmp:CreatorTool>',
    '<pdf:Producer>Lectern with Chromium</pdf:Producer>',
    info.pdfUa ? '<pdfuaid:part>1</pdfuaid:part>' : '',
    info.keywords.length ? `<pdf:Keywords>${xmlEscape(info.keywords.join(' '))}</pdf:Keywords>` : '',
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ]
    .filter(Boolean)
    .join('\n');
}
