import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pdfFiles } from '../deck-layout.js';
import { DeckError } from '../errors.js';
import type { DeckSummary } from '../model/summary.js';
import { readRegularText } from '../read-file.js';

/** Reads `deck.json` of a built deck. */
export function readSummary(manifest: string): DeckSummary {
  let raw: unknown;
  try {
    raw = JSON.parse(readRegularText(manifest));
  } catch (err) {
    throw new DeckError('INPUT_MISSING', `cannot read ${manifest}: ${(err as Error).message}`, {
      hint: 'build the deck again with `lectern build`',
      cause: err,
    });
  }
  // Read from a folder anyone may have written: the shape is checked before anything uses it.
  const summary = raw as Partial<DeckSummary> | null;
  const texts = ['name', 'file', 'title', 'subtitle', 'author', 'date', 'lang'] as const;
  const ok =
    summary !== null &&
    typeof summary === 'object' &&
    !Array.isArray(summary) &&
    texts.every((k) => typeof summary[k] === 'string') &&
    Number.isInteger(summary.slideCount) &&
    Array.isArray(summary.keywords) &&
    summary.keywords.every((k) => typeof k === 'string') &&
    Array.isArray(summary.slides) &&
    summary.slides.every(
      (s) =>
        s !== null &&
        typeof s === 'object' &&
        typeof s.title === 'string' &&
        typeof s.layout === 'string' &&
        Number.isInteger(s.line),
    );
  if (!ok) {
    throw new DeckError('INPUT_MISSING', `${manifest} is not a deck summary Lectern wrote`, {
      pos: { file: manifest },
      hint: 'build the deck again with `lectern build`',
    });
  }
  return summary as DeckSummary;
}

/** A deck as the index lists it: its summary, and every file made of it that is there to download. */
export type IndexedDeck = DeckSummary & { downloads: { label: string; path: string }[] };

/** Summaries of every deck in the output folder, built now or before, with what was exported of each. */
export function collectSummaries(outDir: string): IndexedDeck[] {
  const out: IndexedDeck[] = [];
  for (const entry of readdirSync(outDir)) {
    const manifest = join(outDir, entry, 'deck.json');
    if (!existsSync(manifest)) continue;
    try {
      // The folder names the deck; file names in deck.json are trusted only as plain names.
      const summary = { ...readSummary(manifest), name: entry };
      const plain = (name: unknown): boolean =>
        typeof name === 'string' && /^[^/\\]+$/.test(name) && name !== '..' && name !== '.';
      if (!plain(summary.pdf)) delete summary.pdf;
      if (!plain(summary.thumbnail)) delete summary.thumbnail;
      // The index links a PDF only when it is really there.
      if (summary.pdf && !existsSync(join(outDir, entry, summary.pdf))) delete summary.pdf;
      if (summary.thumbnail && !existsSync(join(outDir, entry, summary.thumbnail))) delete summary.thumbnail;
      // Every kind of PDF, the PowerPoint file and the one-file deck beside the folder, when there.
      const downloads = [
        ...pdfFiles(entry).map((p) => ({ label: p.label, path: `${entry}/${p.file}` })),
        { label: 'PowerPoint', path: `${entry}/${entry}.pptx` },
        { label: 'one file', path: `${entry}.html` },
      ].filter((d) => existsSync(join(outDir, d.path)));
      out.push({ ...summary, downloads });
    } catch {
      // A damaged manifest of an old build only drops that deck from the index.
    }
  }
  return out;
}
