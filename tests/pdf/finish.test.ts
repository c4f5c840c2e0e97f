import { PDFDocument } from 'pdf-lib';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendFinish, pdfDate } from '../../src/pdf/append.js';
import { finishPdf } from '../../src/pdf/finish.js';
import { readPdf } from '../helpers/pdf.js';
import { tempDir } from '../helpers/temp.js';

const info = {
  title: 'Öffnen – ein Vortrag',
  author: 'A Speaker',
  subject: 'On open models',
  keywords: ['open', 'models'],
  lang: 'de',
  date: new Date(Date.UTC(2026, 2, 14)),
};
const bookmarks = [
  { title: 'Part one', page: 0, children: [{ title: 'Inside', page: 1, children: [] }] },
  { title: 'Part two', page: 2, children: [] },
];

/** A PDF shaped as Chromium writes one: a classic table, dates of the length Chromium writes. */
function chromiumShaped(pages: number): Uint8Array {
  const objects: string[] = [];
  const kids = Array.from({ length: pages }, (_, i) => 4 + i);
  objects[1] =
    "<</Title (old)\n/Producer (Skia/PDF)\n/CreationDate (D:20991231235959+00'00')\n/ModDate (D:20991231235959+00'00')>>";
  objects[2] = '<</Type /Catalog\n/Pages 3 0 R\n/MarkInfo <</Type /MarkInfo\n/Marked true>>\n/Lang (en)>>';
  objects[3] = `<</Type /Pages\n/Count ${pages}\n/Kids [${kids.map((k) => `${k} 0 R`).join(' ')}]>>`;
  for (const k of kids) objects[k] = '<</Type /Page\n/MediaBox [0 0 960 540]\n/Parent 3 0 R>>';
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let n = 1; n < objects.length; n++) {
    offsets[n] = out.length;
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let n = 1; n < objects.length; n++) out += `${String(offsets[n]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<</Size ${objects.length}\n/Root 2 0 R\n/Info 1 0 R>>\nstartxref\n${xref}\n%%EOF`;
  return Buffer.from(out, 'latin1');
}

describe('finishing a printed PDF', () => {
  it('appends an update to a file shaped as Chromium writes it: metadata, language, bookmarks, dates written over in place', async () => {
    const raw = chromiumShaped(3);
    const done = appendFinish(raw, info, bookmarks)!;
    expect(done).not.toBeNull();
    expect(done.pages).toBe(3);
    // The original bytes are kept but for the two dates, which are the deck's now.
    const text = Buffer.from(done.bytes).toString('latin1');
    expect(
      text.startsWith(Buffer.from(raw).toString('latin1').replaceAll("D:20991231235959+00'00'", pdfDate(info.date))),
    ).toBe(true);
    expect(text).not.toContain('2099');
    const file = join(tempDir('pdf'), 'finished.pdf');
    writeFileSync(file, done.bytes);
    const read = await readPdf(file);
    expect(read.pages).toBe(3);
    expect(read.info).toMatchObject({
      Title: info.title,
      Author: 'A Speaker',
      Subject: 'On open models',
      Creator: 'Lectern',
      Language: 'de',
    });
    expect(read.outline).toEqual([
      { title: 'Part one', items: [{ title: 'Inside', items: [] }] },
      { title: 'Part two', items: [] },
    ]);
    // The same input, the same bytes.
    expect(Buffer.from(appendFinish(raw, info, bookmarks)!.bytes).equals(Buffer.from(done.bytes))).toBe(true);
  });

  it('leaves any other file to pdf-lib, with the same result for a reader', async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 3; i++) doc.addPage([960, 540]);
    // Object streams and a cross-reference stream: not a shape the appender reads.
    const other = await doc.save({ useObjectStreams: true });
    expect(appendFinish(other, info, bookmarks)).toBeNull();
    const done = await finishPdf(other, info, bookmarks);
    const file = join(tempDir('pdf'), 'other.pdf');
    writeFileSync(file, done.bytes);
    const read = await readPdf(file);
    expect(read.pages).toBe(3);
    expect(read.info).toMatchObject({ Title: info.title, Creator: 'Lectern' });
    expect(read.outline.map((o) => o.title)).toEqual(['Part one', 'Part two']);
    // A damaged file is not appended to either.
    expect(appendFinish(Buffer.from('%PDF-1.4\nnot really\n%%EOF'), info, bookmarks)).toBeNull();
  });
});
