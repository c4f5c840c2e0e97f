import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { LaunchedBrowser } from './launch.js';
import { mermaidPackage } from './mermaid-package.js';
import { openRoutedPage } from './routed-page.js';

/** A diagram to draw: its mermaid source, in a theme. */
export interface DiagramJob {
  code: string;
  theme: string;
}

/**
 * Draws every diagram of a run in one page of the run's browser, offline (the page is routed
 * and gated like a deck's, and loads nothing). Mermaid runs at its strict security level with
 * plain SVG labels (no HTML inside the SVG). Each result is the SVG or mermaid's message.
 */
export async function drawDiagrams(
  browser: LaunchedBrowser,
  jobs: DiagramJob[],
): Promise<({ svg: string } | { error: string })[]> {
  const { script } = mermaidPackage();
  const { page, close } = await openRoutedPage(browser);
  try {
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: readFileSync(script, 'utf8') });
    // Ids follow from the source: several diagrams on one slide keep their own styles, and a
    // diagram is drawn the same every time.
    const named = jobs.map((job) => ({
      ...job,
      id: `diagram-${createHash('sha256').update(`${job.theme}\0${job.code}`).digest('hex').slice(0, 12)}`,
    }));
    return await page.evaluate(async (list: (DiagramJob & { id: string })[]) => {
      type Mermaid = {
        initialize: (config: object) => void;
        parse: (code: string) => Promise<unknown>;
        render: (id: string, code: string) => Promise<{ svg: string }>;
      };
      const mermaid = (window as unknown as { mermaid: Mermaid }).mermaid;
      const out: ({ svg: string } | { error: string })[] = [];
      for (const job of list) {
        mermaid.initialize({
          startOnLoad: false,
          theme: job.theme,
          securityLevel: 'strict',
          htmlLabels: false,
          flowchart: { htmlLabels: false },
          suppressErrorRendering: true,
        });
        try {
          await mermaid.parse(job.code);
          const { svg } = await mermaid.render(job.id, job.code);
          out.push({ svg });
        } catch (err) {
          const message = String((err as Error)?.message ?? err)
            .split('\n')
            .filter((l) => l.trim())
            .slice(0, 3)
            .join(' ');
          out.push({ error: message });
        }
      }
      return out;
    }, named);
  } finally {
    await close();
  }
}
