import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { listTemplates, readTemplateLayer } from '../render/load-template.js';
import { locateBrowser } from '../browser/find.js';
import { type LaunchedBrowser, launchBrowser } from '../browser/launch.js';
import { fontLoads, scriptCoverage, scriptSamples, type DeclaredFont } from '../browser/font-check.js';

interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** Not a failure of the setup: only decks that need it are hurt (a script without a font). */
  warn?: boolean;
}

/** A font a template declares with @font-face. */

/**
 * What `lectern doctor` reports: the browser found, whether it starts, and whether every font
 * the templates declare is there and loads in that browser.
 */
export async function runDoctor(projectDir: string, browserPath?: string): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let path: string;
  try {
    const found = locateBrowser(browserPath);
    path = found.path;
    checks.push({ name: 'browser', ok: true, detail: `${path} (${found.why})` });
  } catch (err) {
    const e = err as Error & { hint?: string };
    checks.push({ name: 'browser', ok: false, detail: e.message, fix: e.hint });
    return checks;
  }

  let launched: LaunchedBrowser;
  try {
    launched = await launchBrowser(path);
    checks.push({ name: 'browser starts', ok: true, detail: await launched.browser.version() });
  } catch (err) {
    const e = err as Error & { hint?: string };
    checks.push({ name: 'browser starts', ok: false, detail: e.message, fix: e.hint });
    return checks;
  }

  try {
    const missing = await scriptCoverage(launched);
    for (const script of Object.keys(scriptSamples)) {
      const lacking = missing[script] ?? [];
      checks.push(
        lacking.length === 0
          ? { name: `fonts for ${script}`, ok: true, detail: 'drawn' }
          : {
              name: `fonts for ${script}`,
              ok: false,
              warn: true,
              detail: `no font draws ${lacking.join(' ')}: text in ${script} shows as boxes`,
              fix: `Debian: apt-get install ${script === 'emoji' ? 'fonts-noto-color-emoji' : script === 'CJK' ? 'fonts-noto-cjk' : 'fonts-noto-core'}`,
            },
      );
    }
    for (const found of listTemplates({ projectDir })) {
      const template = readTemplateLayer(found.dir, found.origin, found.name, projectDir);
      const name = found.name;
      for (const css of template.assets.filter((a) => a.endsWith('.css'))) {
        const cssPath = join(template.dir, 'assets', css);
        for (const font of declaredFonts(readFileSync(cssPath, 'utf8'), css)) {
          const label = `font ${font.family} ${font.weight} ${font.style} (template ${name})`;
          const file = join(template.dir, 'assets', dirname(css), font.file);
          if (!existsSync(file)) {
            checks.push({
              name: label,
              ok: false,
              detail: `${file} is missing`,
              fix: `restore the file, or remove its @font-face from ${cssPath}`,
            });
            continue;
          }
          const loaded = await fontLoads(launched, join(template.dir, 'assets'), font);
          checks.push(
            loaded
              ? { name: label, ok: true, detail: font.file }
              : {
                  name: label,
                  ok: false,
                  detail: `${font.file} does not load in the browser`,
                  fix: 'the file is damaged or not a web font: replace it (woff2)',
                },
          );
        }
      }
    }
  } finally {
    await launched.close();
  }
  return checks;
}

function declaredFonts(css: string, cssFile: string): DeclaredFont[] {
  const out: DeclaredFont[] = [];
  for (const block of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const body = block[1]!;
    const family = /font-family:\s*['"]?([^;'"]+)['"]?/.exec(body)?.[1]?.trim();
    const file = /url\(\s*['"]?([^'")]+)['"]?\s*\)/.exec(body)?.[1];
    if (!family || !file || /^[a-z]+:/i.test(file)) continue;
    out.push({
      family,
      file,
      weight: /font-weight:\s*([^;]+)/.exec(body)?.[1]?.trim() ?? '400',
      style: /font-style:\s*([^;]+)/.exec(body)?.[1]?.trim() ?? 'normal',
      css: cssFile,
    });
  }
  return out;
}
