import { basename, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { type DeckFiles, folderFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { runOnPages } from '../browser/page-pool.js';
import { blockedRequests } from '../browser/routed-page.js';
import type { SlideShapes } from '../browser/slide-shapes.js';
import type { Finding } from '../errors.js';
import type { DeckSummary } from '../model/summary.js';
import { digestOf, keepFindings, noteWritten, writeFileAtomic } from '../output/write.js';
import { parseDeckDate } from '../pdf/finish.js';
import { openPrintPage, type PrintPage } from '../pdf/print.js';
import { timed } from '../timings.js';
import { type PptxPicture, writeEditablePptx } from './editable.js';
import { writePicturePptx } from './write.js';

/** One built deck to write as a PowerPoint file. */
export interface PptxJob {
  summary: DeckSummary;
  folder: string;
}

export interface PptxResult {
  name: string;
  file: string;
  path: string;
  slides: number;
  /** Slides with editable text on them (none in a picture-per-slide file). */
  textSlides: number;
  /** Native tables, pictures, and drawings kept as pictures (formulas, diagrams); absent for pictures. */
  shapes?: { tables: number; pictures: number; drawn: number };
  /** Whether each slide is one picture (`--pptx-pictures`). */
  pictures: boolean;
  bytes: number;
  ms: number;
  warnings: Finding[];
}

export type PptxRunOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> & {
  signal?: AbortSignal;
  onResult?: (result: PptxResult) => void;
  /** One picture a slide, pixel for pixel and not editable, instead of native shapes. */
  pictures?: boolean;
};

/**
 * `<deck>/<deck>.pptx` for built decks, in one open browser. By default each slide is read as
 * the shapes it is made of, laid out as for print, and written as native PowerPoint text, tables
 * and pictures (src/pptx/editable.ts); with `pictures`, each slide is a picture of itself.
 */
export function exportPptxs(jobs: PptxJob[], browser: LaunchedBrowser, options: PptxRunOptions): Promise<PptxResult[]> {
  return runOnPages(jobs, browser, {
    ...options,
    doing: 'printing',
    fileOf: (job: PptxJob) => job.summary.file,
    open: (b: LaunchedBrowser) => openPrintPage(b, options.allowRemote),
    run: (page, job) => pptxOne(page, job, options),
  });
}

async function pptxOne(page: PrintPage, job: PptxJob, options: PptxRunOptions): Promise<PptxResult> {
  const started = performance.now();
  const { summary } = job;
  const files = folderFiles(job.folder);
  const common = {
    allowRemote: options.allowRemote ?? false,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
  };
  const meta = {
    title: summary.title,
    author: summary.author || undefined,
    subject: summary.subtitle || undefined,
    lang: languageTag(summary.lang),
    date: (summary.date ? parseDeckDate(summary.date) : null) ?? undefined,
  };
  let bytes: Uint8Array;
  let slides: number;
  let textSlides = 0;
  let shapes: PptxResult['shapes'];
  let blocked: string[];
  if (options.pictures) {
    const shot = await page.pictures(files, summary.file, { ...common, scale: 2, fragments: false, notes: true });
    bytes = await timed(
      'the PowerPoint file (pptxgenjs)',
      writePicturePptx({
        ...meta,
        width: shot.width,
        height: shot.height,
        slides: shot.pngs.map((png, i) => ({ png, notes: shot.notes[i] ?? '' })),
      }),
    );
    slides = shot.pngs.length;
    blocked = shot.blocked;
  } else {
    const read = await page.shapes(files, summary.file, common);
    const written = await timed(
      'the PowerPoint file (pptxgenjs)',
      writeEditablePptx({
        ...meta,
        template: basename(resolve(job.folder)),
        width: read.width,
        height: read.height,
        shapes: read.shapes,
        renders: read.renders,
        pictures: picturesOf(read.shapes, files),
      }),
    );
    bytes = written.bytes;
    slides = read.shapes.slides.length;
    textSlides = read.shapes.slides.filter((s) => s.shapes.some((x) => x.kind === 'text' || x.kind === 'table')).length;
    shapes = { tables: written.counts.tables, pictures: written.counts.pictures, drawn: written.counts.drawn };
    blocked = read.blocked;
  }
  // Nothing read from a built folder is a path: the file is named after the deck's folder.
  const name = basename(resolve(job.folder));
  const path = join(job.folder, `${name}.pptx`);
  writeFileAtomic(path, bytes);
  const warnings = blockedRequests(blocked, summary.file);
  noteWritten(job.folder, {
    [`${name}.pptx`]: digestOf(bytes),
    ...keepFindings(job.folder, { [`${name}.pptx`]: warnings }),
  });
  return {
    name,
    file: summary.file,
    path,
    slides,
    textSlides,
    ...(shapes ? { shapes } : {}),
    pictures: options.pictures === true,
    bytes: bytes.length,
    ms: performance.now() - started,
    warnings,
  };
}

/** The pictures the slides show (their logos and backgrounds too), read from the deck's own files. */
function picturesOf(shapes: { slides: SlideShapes[] }, files: DeckFiles): Map<string, PptxPicture> {
  const out = new Map<string, PptxPicture>();
  const add = (src: string | null): void => {
    if (!src || out.has(src)) return;
    const file = files(src);
    // Only what PowerPoint draws as it is; anything else was photographed by the reader.
    if (file && /^image\/(png|jpeg|gif)$/.test(file.type)) out.set(src, { data: file.body, type: file.type });
  };
  for (const slide of shapes.slides) {
    add(slide.background.image);
    for (const s of slide.shapes) if (s.kind === 'picture') add(s.src);
    for (const c of slide.chrome) if (c.kind === 'logo') add(c.src);
  }
  return out;
}

/** The deck's language as a language tag, or `en`: deck.json is read, not trusted. */
function languageTag(lang: unknown): string {
  return typeof lang === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,6}$/.test(lang) ? lang : 'en';
}
