import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserOptions } from '../browser/find.js';
import { folderFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { runOnPages } from '../browser/page-pool.js';
import { blockedRequests } from '../browser/routed-page.js';
import type { Finding } from '../errors.js';
import { digestOf, keepFindings, noteWritten, writeFileAtomic } from '../output/write.js';
import { openPrintPage, type PrintPage } from '../pdf/print.js';

/** What the slide pictures hold. */
export interface PngOptions {
  /** Pixels per deck pixel: 1 (the deck's own size, 1280×720 for 16:9) or 2. */
  scale?: 1 | 2;
  /** One picture per fragment step instead of one per slide. */
  fragments?: boolean;
}

/** One built deck to picture: its folder, where `slides/` goes. */
export interface PngJob {
  name: string;
  /** The deck source, as errors name it. */
  file: string;
  folder: string;
}

export interface PngResult {
  name: string;
  file: string;
  /** The folder the pictures are in (`<deck>/slides`). */
  dir: string;
  /** Their file names, in slide order: 001.png, 002.png, … */
  files: string[];
  width: number;
  height: number;
  ms: number;
  warnings: Finding[];
}

export type PngRunOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> &
  PngOptions & { signal?: AbortSignal; onResult?: (result: PngResult) => void };

/** Pictures of every slide of built decks, from the same page the PDF prints, in one open browser. */
export function exportPngs(jobs: PngJob[], browser: LaunchedBrowser, options: PngRunOptions): Promise<PngResult[]> {
  const pages = {
    doing: 'printing',
    fileOf: (job: PngJob) => job.file,
    open: (b: LaunchedBrowser) => openPrintPage(b, options.allowRemote),
  };
  return runOnPages(jobs, browser, { ...options, ...pages, run: (page, job) => pictureOne(page, job, options) });
}

async function pictureOne(page: PrintPage, job: PngJob, options: PngRunOptions): Promise<PngResult> {
  const started = performance.now();
  const scale = options.scale ?? 1;
  const shot = await page.pictures(folderFiles(job.folder), job.file, {
    scale,
    fragments: options.fragments ?? false,
    allowRemote: options.allowRemote ?? false,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
  });
  // Written beside the old pictures, then swapped in whole: a deck that lost slides keeps no stale picture.
  const dir = join(job.folder, 'slides');
  const staged = join(job.folder, `.lectern-tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  rmSync(staged, { recursive: true, force: true });
  mkdirSync(staged);
  const digits = Math.max(3, String(shot.pngs.length).length);
  const digests: Record<string, string> = {};
  const files = shot.pngs.map((png, i) => {
    const name = `${String(i + 1).padStart(digits, '0')}.png`;
    writeFileAtomic(join(staged, name), png);
    digests[`slides/${name}`] = digestOf(png);
    return name;
  });
  rmSync(dir, { recursive: true, force: true });
  renameSync(staged, dir);
  const warnings = blockedRequests(shot.blocked, job.file);
  noteWritten(job.folder, { ...digests, ...keepFindings(job.folder, { slides: warnings }) }, 'slides/');
  return {
    name: job.name,
    file: job.file,
    dir,
    files,
    width: shot.width * scale,
    height: shot.height * scale,
    ms: performance.now() - started,
    warnings,
  };
}
