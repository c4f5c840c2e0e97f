import type { Browser } from 'puppeteer-core';
import { serveDeckFolder } from './deck-server.js';

/** A font a template's stylesheet declares. */
export interface DeclaredFont {
  family: string;
  weight: string;
  style: string;
  file: string;
  css: string;
}

/** Whether Chromium loads a template's declared font from its own folder (for `lectern doctor`). */
export async function fontLoads(browser: Browser, assetsDir: string, font: DeclaredFont): Promise<boolean> {
  const server = await serveDeckFolder(assetsDir);
  const page = await browser.newPage();
  try {
    // Same origin as the stylesheet, as in a built deck: fonts are fetched with CORS rules.
    await page.goto(`${server.origin}/${font.css}`);
    await page.setContent(`<link rel="stylesheet" href="${server.origin}/${font.css}"><p>Lectern</p>`, {
      waitUntil: 'load',
    });
    return await page.evaluate(
      async (f) => (await document.fonts.load(`${f.style} ${f.weight} 16px "${f.family}"`)).length > 0,
      font,
    );
  } catch {
    return false;
  } finally {
    await page.close().catch(() => undefined);
    await server.close();
  }
}
