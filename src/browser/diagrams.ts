import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'puppeteer-core';
import type { LaunchedBrowser } from './launch.js';
import { mermaidPackage } from './mermaid-package.js';
import { openRoutedPage } from './routed-page.js';

/**
 * A diagram to draw: its mermaid source, in a theme: a mermaid theme's name, or JSON of
 * `{ theme, themeVariables }` (the template's colours).
 */
export interface DiagramJob {
  code: string;
  theme: string;
}

/** A drawing, mermaid's message for a source it cannot parse, or why it was not drawn in time. */
export type Drawn = { svg: string } | { error: string } | { timeout: string };

/** Lectern's own deadlines for drawing, from the run's time limit per deck (`--timeout`). */
export function diagramDeadlines(timeoutMs = 60_000): { eachMs: number; runMs: number } {
  return { eachMs: Math.max(250, Math.round(timeoutMs / 4)), runMs: Math.round(timeoutMs * 1.5) };
}

/**
 * Draws every diagram of a run in a page of the run's browser, offline (the page is routed and
 * gated like a deck's, and loads nothing), one diagram a call. Mermaid runs at its strict
 * security level with plain SVG labels (no HTML inside the SVG). Each diagram has Lectern's own
 * deadline, and the run's diagrams one together: a diagram past its deadline is given up (its
 * page, busy with it, is closed and a fresh one takes the rest), and whatever the browser says
 * becomes that diagram's result, never the run's failure.
 */
export async function drawDiagrams(
  browser: LaunchedBrowser,
  jobs: DiagramJob[],
  deadlines = diagramDeadlines(),
): Promise<Drawn[]> {
  const { script } = mermaidPackage();
  const source = readFileSync(script, 'utf8');
  const runEnds = Date.now() + deadlines.runMs;
  let current: { page: Page; close: () => Promise<void> } | null = null;
  const fresh = async () => {
    const opened = await openRoutedPage(browser);
    await opened.page.setContent('<!doctype html><html><body></body></html>');
    await opened.page.addScriptTag({ content: source });
    return opened;
  };
  const out: Drawn[] = [];
  try {
    for (const job of jobs) {
      const left = runEnds - Date.now();
      if (left <= 0) {
        out.push({ timeout: `the run's diagrams took more than ${Math.round(deadlines.runMs / 1000)} s` });
        continue;
      }
      const limit = Math.min(deadlines.eachMs, left);
      // Ids follow from the source: several diagrams on one slide keep their own styles, and a
      // diagram is drawn the same every time.
      const id = `diagram-${createHash('sha256').update(`${job.theme}\0${job.code}`).digest('hex').slice(0, 12)}`;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), limit);
      });
      try {
        current ??= await fresh();
        const result = await Promise.race([drawOne(current.page, job, id), late]);
        if (result === 'late') {
          out.push({
            timeout:
              limit < deadlines.eachMs
                ? `the run's diagrams took more than ${Math.round(deadlines.runMs / 1000)} s`
                : `it took more than ${limit < 1000 ? (limit / 1000).toFixed(2) : Math.round(limit / 1000)} s to draw`,
          });
          // The page is still busy with it: closed, not waited for.
          const stuck = current;
          current = null;
          void stuck.close().catch(() => undefined);
        } else out.push(result);
      } catch (err) {
        // The browser failed at it (a crashed page, a closed connection): that diagram's result.
        out.push({ timeout: `the browser did not draw it (${String((err as Error)?.message ?? err).split('\n')[0]})` });
        const broken = current;
        current = null;
        void broken?.close().catch(() => undefined);
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    await current?.close().catch(() => undefined);
  }
  return out;
}

function drawOne(page: Page, job: DiagramJob, id: string): Promise<Drawn> {
  return page.evaluate(
    async (one: DiagramJob & { id: string }) => {
      type Mermaid = {
        initialize: (config: object) => void;
        parse: (code: string) => Promise<unknown>;
        render: (id: string, code: string) => Promise<{ svg: string }>;
      };
      const mermaid = (window as unknown as { mermaid: Mermaid }).mermaid;
      const style = one.theme.startsWith('{')
        ? (JSON.parse(one.theme) as { theme: string; themeVariables: Record<string, unknown> })
        : { theme: one.theme };
      mermaid.initialize({
        startOnLoad: false,
        ...style,
        securityLevel: 'strict',
        htmlLabels: false,
        flowchart: { htmlLabels: false },
        suppressErrorRendering: true,
      });
      try {
        await mermaid.parse(one.code);
        const { svg } = await mermaid.render(one.id, one.code);
        return { svg };
      } catch (err) {
        const message = String((err as Error)?.message ?? err)
          .split('\n')
          .filter((l) => l.trim())
          .slice(0, 3)
          .join(' ');
        return { error: message };
      }
    },
    { ...job, id },
  );
}
