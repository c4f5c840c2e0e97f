import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

// Nothing on disk is taken at its word: a built folder's deck.json names no path, and no string
// Lectern writes into PowerPoint's XML can end its attribute or element.
const browserPath = browserForTests('built-folder tests');

async function slideXml(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(file));
  const names = Object.keys(zip.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
  return (await Promise.all(names.map((n) => zip.file(n)!.async('string')))).join('\n');
}

describe.skipIf(!browserPath)('lectern pptx on a built folder', () => {
  it("takes the file's name from the folder and escapes the language and the fonts into the XML", async () => {
    const dir = makeProject({
      'decks/talk.md': '---\ntitle: Open weights\ncss: odd.css\n---\n\n## Who decides\n\n- the people who run it\n',
      'decks/odd.css': '.reveal { font-family: "A&B <C>", serif; }\n',
    });
    expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
    const manifest = join(dir, 'dist/talk/deck.json');
    const summary = JSON.parse(readFileSync(manifest, 'utf8'));
    writeFileSync(
      manifest,
      JSON.stringify(
        {
          ...summary,
          name: '../../escaped',
          lang: 'en"><a:evil/><a:x y="',
          file: '\u001b]0;HIJACK\u0007\u001b[31mRED',
        },
        null,
        2,
      ),
    );
    // The built page names the layouts: one spelled to break out of the layout's XML name.
    const page = join(dir, 'dist/talk/index.html');
    writeFileSync(
      page,
      readFileSync(page, 'utf8').replace(
        /data-layout="title"/,
        'data-layout="x&quot;&gt;&lt;evil/&gt;&lt;p:cSld name=&quot;"',
      ),
    );
    const run = await runLectern(['pptx', 'dist/talk'], dir, 120_000);
    expect(run.stderr).toBe('');
    // Nothing read from the folder drives the terminal.
    expect(run.stdout).not.toMatch(/[\u001b\u0007]/);
    expect(run.stdout).toContain(']0;HIJACK');
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'dist/talk')).filter((f) => f.endsWith('.pptx'))).toEqual(['talk.pptx']);
    expect(existsSync(join(dir, 'escaped.pptx'))).toBe(false);
    expect(existsSync(join(dir, '../escaped.pptx'))).toBe(false);
    const xml = await slideXml(join(dir, 'dist/talk/talk.pptx'));
    expect(xml).not.toContain('<a:evil');
    expect(xml).toMatch(/<a:rPr lang="en"/);
    expect(xml).toContain('typeface="A&amp;B &lt;C&gt;"');
    expect(xml).not.toContain('typeface="A&B');
    const zip = await JSZip.loadAsync(readFileSync(join(dir, 'dist/talk/talk.pptx')));
    const layouts = await Promise.all(
      Object.keys(zip.files)
        .filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
        .map((n) => zip.file(n)!.async('string')),
    );
    expect(layouts.join('\n')).not.toContain('<evil');
  }, 180_000);

  it('a built page that is a named pipe is no built deck: refused at once', async () => {
    const dir = makeProject({ 'decks/talk.md': '## One\n' });
    expect((await runLectern(['build', '--no-pdf'], dir)).code).toBe(0);
    rmSync(join(dir, 'dist/talk/index.html'));
    execFileSync('mkfifo', [join(dir, 'dist/talk/index.html')]);
    const run = await runLectern(['pptx', 'dist/talk'], dir, 20_000);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is not a built deck');
  }, 180_000);
});
