import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
      JSON.stringify({ ...summary, name: '../../escaped', lang: 'en"><a:evil/><a:x y="' }, null, 2),
    );
    const run = await runLectern(['pptx', 'dist/talk'], dir, 120_000);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readdirSync(join(dir, 'dist/talk')).filter((f) => f.endsWith('.pptx'))).toEqual(['talk.pptx']);
    expect(existsSync(join(dir, 'escaped.pptx'))).toBe(false);
    expect(existsSync(join(dir, '../escaped.pptx'))).toBe(false);
    const xml = await slideXml(join(dir, 'dist/talk/talk.pptx'));
    expect(xml).not.toContain('<a:evil');
    expect(xml).toMatch(/<a:rPr lang="en"/);
    expect(xml).toContain('typeface="A&amp;B &lt;C&gt;"');
    expect(xml).not.toContain('typeface="A&B');
  }, 180_000);
});
