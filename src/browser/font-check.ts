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
