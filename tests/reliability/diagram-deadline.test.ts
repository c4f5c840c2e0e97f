import { describe, expect, it } from 'vitest';
import { browserForTests } from '../helpers/browser.js';
import { makeProject } from '../helpers/fs.js';
import { runLectern } from './invariants.js';

// Drawing diagrams has Lectern's own deadlines, per diagram and per run (from --timeout): a
// diagram past them is shown as code with DIAGRAM_TIMEOUT at its fence, and no browser message
// ends the run.
const browserPath = browserForTests('diagram deadline tests');

/** A flowchart of `edges` edges among 200 nodes, the same every time. */
function bigFlowchart(edges: number, seed: number): string {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x % 200;
  };
  const lines = Array.from({ length: edges }, () => `  N${next()} --> N${next()}`);
  return `\`\`\`mermaid\nflowchart LR\n${lines.join('\n')}\n\`\`\`\n`;
}

describe.skipIf(!browserPath)('diagrams past their deadline', () => {
  it('are shown as code with a warning at their fence, and the build ends in time', async () => {
    const slides = Array.from({ length: 6 }, (_, i) => `## Diagram ${i + 1}\n\n${bigFlowchart(490, i + 1)}`);
    const dir = makeProject({ 'decks/a.md': slides.join('\n') });
    const run = await runLectern(['build', '--no-pdf', '--timeout', '4'], dir, 90_000);
    expect(run.signal).toBeNull();
    expect(run.stderr).not.toContain('INTERNAL');
    expect(run.stderr).not.toMatch(/Runtime\.|Protocol error|puppeteer/i);
    expect(run.code).toBe(0);
    const fences = run.stderr.match(
      /^decks\/a\.md:\d+:1: warning\[DIAGRAM_TIMEOUT\]: this diagram is shown as code: /gm,
    );
    expect(fences?.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
});
