import { basename, join, resolve } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { folderFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { runOnPages } from '../browser/page-pool.js';
import { blockedRequests } from '../browser/routed-page.js';
import type { Finding } from '../errors.js';
import type { DeckSummary } from '../model/summary.js';
import { digestOf, noteWritten, writeFileAtomic } from '../output/write.js';
import { parseDeckDate } from '../pdf/finish.js';
import { openPrintPage, type PrintPage } from '../pdf/print.js';
import { timed } from '../timings.js';
import { writePptx } from './write.js';

/**
 * The layouts whose title and text are written as real PowerPoint text over the picture of the
 * rest; of every other layout the title only, but for a full-bleed image's caption.
 */
export const TEXT_LAYOUTS = { layouts: ['title', 'section', 'bullets', 'statement'], pictureOnly: ['image'] };

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
  /** Slides whose title or body is editable text. */
  textSlides: number;
  bytes: number;
  ms: number;
  warnings: Finding[];
}

export type PptxRunOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> & {
  signal?: AbortSignal;
  onResult?: (result: PptxResult) => void;
};

/**
 * `<deck>/<deck>.pptx` for built decks, in one open browser: the pictures come from the same print
 * layout as the PDF and the PNGs, at twice the deck's size, with the text of title, section,
 * bullets and statement slides read out of them and written as text.
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
  const shot = await page.pictures(folderFiles(job.folder), summary.file, {
    scale: 2,
    fragments: false,
    textOf: TEXT_LAYOUTS,
    allowRemote: options.allowRemote ?? false,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
  });
  const bytes = await timed(
    'the PowerPoint file (pptxgenjs)',
    writePptx({
      title: summary.title,
      author: summary.author || undefined,
      subject: summary.subtitle || undefined,
      lang: languageTag(summary.lang),
      date: (summary.date ? parseDeckDate(summary.date) : null) ?? undefined,
      width: shot.width,
      height: shot.height,
      slides: shot.pngs.map((png, i) => ({
        png,
        text: shot.texts[i] ?? { layout: '', title: null, body: null, notes: '' },
      })),
    }),
  );
  // Nothing read from a built folder is a path: the file is named after the deck's folder.
  const name = basename(resolve(job.folder));
  const path = join(job.folder, `${name}.pptx`);
  writeFileAtomic(path, bytes);
  noteWritten(job.folder, { [`${name}.pptx`]: digestOf(bytes) });
  return {
    name,
    file: summary.file,
    path,
    slides: shot.pngs.length,
    textSlides: shot.texts.filter((t) => t.title || t.body).length,
    bytes: bytes.length,
    ms: performance.now() - started,
    warnings: blockedRequests(shot.blocked, summary.file),
  };
}

/** The deck's language as a language tag, or `en`: deck.json is read, not trusted. */
function languageTag(lang: unknown): string {
  return typeof lang === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,6}$/.test(lang) ? lang : 'en';
}
