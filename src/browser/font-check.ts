import { folderFiles } from './deck-files.js';
import type { LaunchedBrowser } from './launch.js';
import { openRoutedPage, routeTo } from './routed-page.js';

/** A font a template's stylesheet declares. */
export interface DeclaredFont {
  family: string;
  weight: string;
  style: string;
  file: string;
  css: string;
}

/** Whether Chromium loads a template's declared font from its own folder (for `lectern doctor`). */
export async function fontLoads(browser: LaunchedBrowser, assetsDir: string, font: DeclaredFont): Promise<boolean> {
  const { page, route, close } = await openRoutedPage(browser);
  try {
    // Same origin as the stylesheet, as in a built deck: fonts are fetched with CORS rules.
    const origin = routeTo(route, assetsDir, folderFiles(assetsDir), false);
    await page.goto(`${origin}/${font.css}`);
    await page.setContent(`<link rel="stylesheet" href="${origin}/${font.css}"><p>Lectern</p>`, { waitUntil: 'load' });
    return await page.evaluate(
      async (f) => (await document.fonts.load(`${f.style} ${f.weight} 16px "${f.family}"`)).length > 0,
      font,
    );
  } catch {
    return false;
  } finally {
    await close();
  }
}

/** Scripts a deck may be written in, each with a few of its characters. */
export const scriptSamples: Record<string, string> = {
  Latin: 'aéßŁ',
  Cyrillic: 'ЖщЯ',
  Greek: 'ΩλΣ',
  CJK: '开源日本한국',
  Arabic: 'عربي',
  Hebrew: 'שלום',
  Devanagari: 'नमस्ते',
  emoji: '🚀🎉👍',
};

/**
 * Which scripts the machine's fonts draw in this browser (for `lectern doctor`): a script is
 * covered when none of its sample characters comes out as the box a character no font has
 * (U+10FFFD) is drawn as.
 */
export async function scriptCoverage(browser: LaunchedBrowser): Promise<Record<string, string[]>> {
  const { page, close } = await openRoutedPage(browser);
  try {
    return await page.evaluate((samples: Record<string, string>) => {
      const canvas = document.createElement('canvas');
      canvas.width = 144;
      canvas.height = 96;
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      const drawn = (char: string): string => {
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.font = '48px sans-serif';
        ctx.textBaseline = 'middle';
        ctx.fillText(char, 24, 48);
        const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let hash = 0;
        for (let i = 3; i < data.length; i += 4) hash = (hash * 31 + data[i]! * (i + 1)) | 0;
        return `${Math.round(ctx.measureText(char).width * 100)}|${hash}`;
      };
      const box = drawn('\u{10FFFD}');
      const missing: Record<string, string[]> = {};
      for (const [script, chars] of Object.entries(samples)) {
        // Whole characters, marks with their letters (Devanagari's vowel signs).
        const graphemes = [...new Intl.Segmenter().segment(chars)].map((s) => s.segment);
        missing[script] = graphemes.filter((g) => drawn(g) === box);
      }
      return missing;
    }, scriptSamples);
  } finally {
    await close();
  }
}
