import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { noteSkip } from './skips.js';
import { tempDir } from './temp.js';

/**
 * LibreOffice, the real reader the PowerPoint tests open their files with, or null to skip them
 * (with a notice). On CI a missing LibreOffice fails the run: `.ci/run` installs it.
 */
export function officeForTests(suite: string): string | null {
  const found = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  const message = `${suite}: LibreOffice (soffice) is not installed (Debian: apt-get install libreoffice-impress)`;
  if (process.env.CI) throw new Error(message);
  noteSkip(suite, 'LibreOffice (soffice) is not installed (Debian: apt-get install libreoffice-impress)');
  return null;
}

/**
 * Opens a PowerPoint file in LibreOffice headless and saves it as PDF, with a notes page after
 * each slide when `notes`. Returns the PDF's path. A profile of its own, so runs never share one.
 */
export function officeToPdf(soffice: string, pptx: string, notes = false): string {
  const filter = notes
    ? 'pdf:impress_pdf_Export:{"ExportNotesPages":{"type":"boolean","value":"true"}}'
    : 'pdf:impress_pdf_Export';
  return officeConvert(soffice, pptx, filter, 'pdf');
}

/** Opens a file in LibreOffice headless and saves it with a filter; returns the new file's path. */
export function officeConvert(soffice: string, file: string, filter: string, ext: string): string {
  return officeConvertAll(soffice, [file], filter, ext)[0]!;
}

/**
 * Opens files (of different names) in one LibreOffice run, which starts once, and saves each with
 * a filter; returns the new files' paths in the same order.
 */
export function officeConvertAll(soffice: string, files: string[], filter: string, ext: string): string[] {
  const out = tempDir('office');
  const profile = pathToFileURL(join(out, 'profile')).href;
  execFileSync(
    soffice,
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', filter, '--outdir', out, ...files],
    {
      stdio: 'pipe',
      timeout: 180_000,
    },
  );
  return files.map((file) => join(out, file.replace(/^.*\//, '').replace(/\.[^.]*$/, `.${ext}`)));
}
