import type { BrowserOptions } from '../browser/find.js';
import { folderFiles } from '../browser/deck-files.js';
import type { LaunchedBrowser } from '../browser/launch.js';
import { runOnPages } from '../browser/page-pool.js';
import { blockedRequests } from '../browser/routed-page.js';
import type { Finding } from '../errors.js';
import { openPrintPage, type PrintPage } from '../pdf/print.js';
import { formatBytes } from '../shown.js';
import { type InlinedPart, inlineDeck } from './inline.js';

/** What to do about a file the single file still loads, by why it was not written in. */
const incompleteHint: Record<string, string> = {
  'a remote file':
    'the single file needs the network for it: download it into the project (or its template) and link it there',
  'not a file of the built deck': 'the built deck has no such file: check the path where it is linked',
  'an @import loop': 'two stylesheets import each other: take one of the imports out',
};

/** Above this a single-file deck is reported as large, with what made it so. */
export const SINGLE_FILE_WARN_BYTES = 10 * 1024 * 1024;

/** One built deck to write as one file. */
export interface SingleFileJob {
  name: string;
  /** The deck source, as findings name it. */
  file: string;
  folder: string;
}

export interface SingleFileResult {
  name: string;
  file: string;
  html: string;
  bytes: number;
  /** What went in, largest first. */
  parts: InlinedPart[];
  fontsLeftOut: string[];
  ms: number;
  warnings: Finding[];
}

export type SingleFileRunOptions = Pick<BrowserOptions, 'concurrency' | 'timeoutMs' | 'allowRemote'> & {
  signal?: AbortSignal;
};

/**
 * Every deck as one HTML file, in one open browser: the browser lays each deck out once with all
 * its slides and notes, to learn which font faces it uses; the rest is `inlineDeck`.
 */
export function singleFiles(
  jobs: SingleFileJob[],
  browser: LaunchedBrowser,
  options: SingleFileRunOptions,
): Promise<SingleFileResult[]> {
  return runOnPages(jobs, browser, {
    ...options,
    doing: 'printing',
    fileOf: (job: SingleFileJob) => job.file,
    open: (b: LaunchedBrowser) => openPrintPage(b, options.allowRemote),
    run: (page, job) => singleFile(page, job, options),
  });
}

async function singleFile(
  page: PrintPage,
  job: SingleFileJob,
  options: SingleFileRunOptions,
): Promise<SingleFileResult> {
  const started = performance.now();
  const files = folderFiles(job.folder);
  const { paths, blocked } = await page.requested(files, job.file, {
    allowRemote: options.allowRemote ?? false,
    deadline: Date.now() + (options.timeoutMs ?? 60_000),
    signal: options.signal,
  });
  const inlined = inlineDeck(files, paths);
  const bytes = Buffer.byteLength(inlined.html);
  const warnings: Finding[] = blockedRequests(blocked, job.file);
  for (const { ref, why } of inlined.notInlined) {
    warnings.push({
      code: 'SINGLE_FILE_INCOMPLETE',
      message: `the single-file deck still loads ${ref} (${why})`,
      pos: { file: job.file },
      hint:
        incompleteHint[why] ??
        'the single file opens offline only beside the deck folder; use one image per background, and no frames',
    });
  }
  if (bytes > SINGLE_FILE_WARN_BYTES) {
    const largest = inlined.parts
      .slice(0, 3)
      .map((p) => `${p.path} ${formatBytes(p.bytes)}`)
      .join(', ');
    warnings.push({
      code: 'SINGLE_FILE_LARGE',
      message: `${job.name}.html is ${formatBytes(bytes)}, over ${formatBytes(SINGLE_FILE_WARN_BYTES)}; the largest parts: ${largest}`,
      pos: { file: job.file },
      hint: 'inlined files grow by a third (base64): shrink the largest images or videos, or share the deck folder instead',
    });
  }
  return {
    name: job.name,
    file: job.file,
    html: inlined.html,
    bytes,
    parts: inlined.parts,
    fontsLeftOut: inlined.fontsLeftOut,
    ms: performance.now() - started,
    warnings,
  };
}
