import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfOutlineItem {
  title: string;
  items: PdfOutlineItem[];
}

export interface ReadPdf {
  pages: number;
  /** Text of each page. */
  text: string[];
  info: Record<string, unknown>;
  outline: PdfOutlineItem[];
  /** Internal links per page: the 0-based page each one opens. */
  links: number[][];
  /** Page size in points. */
  size: [number, number];
}

/** Reads a PDF back with pdf.js: pages, text, metadata, bookmarks and links. */
export async function readPdf(path: string): Promise<ReadPdf> {
  const doc = await getDocument({ data: new Uint8Array(readFileSync(path)), verbosity: 0 }).promise;
  try {
    const text: string[] = [];
    const links: number[][] = [];
    let size: [number, number] = [0, 0];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      if (i === 1) size = [page.view[2]!, page.view[3]!];
      const content = await page.getTextContent();
      text.push(
        content.items
          .map((item) => ('str' in item ? item.str : ''))
          .join(' ')
          .replace(/\s+/g, ' '),
      );
      const targets: number[] = [];
      for (const annotation of await page.getAnnotations()) {
        if (annotation.subtype !== 'Link' || !annotation.dest) continue;
        const dest = typeof annotation.dest === 'string' ? await doc.getDestination(annotation.dest) : annotation.dest;
        if (dest?.[0]) targets.push(await doc.getPageIndex(dest[0]));
      }
      links.push(targets);
    }
    const meta = await doc.getMetadata();
    const outline = ((await doc.getOutline()) ?? []).map(function map(o: {
      title: string;
      items: unknown[];
    }): PdfOutlineItem {
      return { title: o.title, items: (o.items as { title: string; items: unknown[] }[]).map(map) };
    });
    return { pages: doc.numPages, text, info: meta.info as Record<string, unknown>, outline, links, size };
  } finally {
    await doc.destroy();
  }
}
