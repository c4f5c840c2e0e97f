import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanSvg } from '../../src/model/svg.js';
import { browserForTests } from '../helpers/browser.js';
import { cli, makeProject } from '../helpers/fs.js';
import { startLoggingServer } from '../helpers/logging-server.js';
import { readPdf } from '../helpers/pdf.js';

const browserPath = browserForTests('diagram tests');

const talk = `---
title: Diagrams
date: 2026-03-01
---

## How weights flow

\`\`\`mermaid
flowchart LR
  Lab[Research lab] -->|releases| W[(Open weights)]
  W --> S[Startup]
  W --> U[University]
\`\`\`

## Broken

\`\`\`mermaid
flowchart LR
  A -->
\`\`\`

## Who asks whom

\`\`\`mermaid
sequenceDiagram
  Alice->>Bob: Can I run it?
  Bob-->>Alice: Yes, the weights are open
\`\`\`
`;

const svgIn = (html: string): string[] =>
  [...html.matchAll(/<figure class="diagram"(?:[^>"]|"[^"]*")*>(<svg[\s\S]*?<\/svg>)<\/figure>/g)].map((m) => m[1]!);

describe('the SVG of a drawn diagram', () => {
  it('keeps the drawing and loses what runs, links or loads (a stylesheet that would load is dropped whole)', () => {
    const svg = cleanSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><style>@import url(http://127.0.0.1:9/a.css); .n{fill:url(http://127.0.0.1:9/x)}</style><style>.m{fill:url(#g)}</style>' +
        '<script>alert(2)</script><foreignObject><div>html</div></foreignObject><image href="http://127.0.0.1:9/i.png"/>' +
        '<a href="javascript:alert(3)"><text>link</text></a><use href="#shape"/><use href="http://127.0.0.1:9/s.svg#x"/>' +
        '<g style="background:url(http://127.0.0.1:9/y)"><rect class="n" onclick="x()"/><text>Label &amp; more</text></g></svg>',
    );
    expect(svg).not.toMatch(
      /onload|onclick|<script|foreignObject|<image [^>]*href|<a |javascript:|@import|127\.0\.0\.1/,
    );
    expect(svg).toContain('url(#g)');
    expect(svg).toContain('<use href="#shape"/>');
    expect(svg).toContain('<text>Label &amp; more</text>');
    expect(svg).toContain('<rect class="n"/>');
  });
});

describe.skipIf(!browserPath)('```mermaid diagrams', () => {
  it('are drawn at build time into SVG in the HTML and the PDF, kept for later builds, errors at their fence', async () => {
    const dir = makeProject({ 'decks/talk.md': talk });
    const run = await cli(['build'], dir);
    expect(run.code, run.stderr).toBe(0);
    const warnings = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('warning['));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^decks\/talk\.md:17:1: warning\[DIAGRAM_ERROR\]: this diagram does not parse: Parse error on line 3/,
      ),
    ]);
    const html = readFileSync(join(dir, 'dist/talk/index.html'), 'utf8');
    const svgs = svgIn(html);
    expect(svgs.length).toBe(2);
    const textOf = (svg: string) => svg.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, '');
    expect(textOf(svgs[0]!)).toContain('Research lab');
    expect(textOf(svgs[1]!)).toContain('Can I run it?');
    // The broken one stays visible as code.
    expect(html).toContain('<code class="hljs language-mermaid">flowchart LR');
    // Drawn at build time: no mermaid in the deck, no script beyond Reveal.js's three and
    // Lectern's fitting script (the deck has code).
    expect(html).not.toMatch(/<foreignObject|mermaid\.min\.js/i);
    expect(html.match(/<script/g)?.length).toBe(4);
    expect(html).toContain('<script src="_lectern/fit.js"></script>');
    // In the template's colours: its accent, not mermaid's default lavender.
    expect(svgs[0]!.toLowerCase()).toContain('#0b6e6e');
    expect(svgs[0]!.toLowerCase()).not.toContain('#ececff');
    expect(
      readdirSync(join(dir, '.lectern-cache/diagrams'))
        .sort()
        .map((f) => f.split('.')[1]),
    ).toEqual(['error', 'svg', 'svg']);
    const pdf = await readPdf(join(dir, 'dist/talk/talk.pdf'));
    expect(pdf.pages).toBe(4);
    expect(pdf.text[1]).toContain('Research lab');
    expect(pdf.text[3]).toContain('Can I run it?');

    // Without a browser, the kept drawings are used: the same SVG.
    const again = await cli(['build', '--no-pdf', '--force', '--browser-path', '/nonexistent/chrome'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(svgIn(readFileSync(join(dir, 'dist/talk/index.html'), 'utf8'))).toEqual(svgs);

    // A dark template draws them in mermaid's dark theme.
    const dark = await cli(['build', '--no-pdf', '--template', 'keynote', '--out', 'dark'], dir);
    expect(dark.code, dark.stderr).toBe(0);
    const darkSvgs = svgIn(readFileSync(join(dir, 'dark/talk/index.html'), 'utf8'));
    expect(darkSvgs.length).toBe(2);
    expect(darkSvgs[0]!.toLowerCase()).not.toContain('#ececff');
  });

  it('show as code with a warning where no browser can draw them and none was drawn before', async () => {
    const dir = makeProject({ 'decks/talk.md': talk });
    const run = await cli(['build', '--no-pdf', '--browser-path', '/nonexistent/chrome'], dir);
    expect(run.code, run.stderr).toBe(0);
    const undrawn = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('DIAGRAM_UNDRAWN'));
    expect(undrawn.map((l) => l.split(':').slice(0, 2).join(':'))).toEqual([
      'decks/talk.md:8',
      'decks/talk.md:17',
      'decks/talk.md:24',
    ]);
    const html = readFileSync(join(dir, 'dist/talk/index.html'), 'utf8');
    expect(svgIn(html)).toEqual([]);
    expect(html).toContain('<code class="hljs language-mermaid">flowchart LR');
  });

  it('run nothing and load nothing: mermaid’s own links, callbacks and settings are held', async () => {
    const log = await startLoggingServer();
    try {
      const attack = `## Attack

\`\`\`mermaid
%%{init: {"securityLevel": "loose", "htmlLabels": true, "themeCSS": "@import url(${log.url}/css); .node { background: url(${log.url}/bg) }"}}%%
flowchart LR
  A["<img src='${log.url}/img' onerror='alert(1)'>"] --> B["<script>alert(2)</script>"]
  click A "javascript:alert(3)" "x"
  click B call alert(4)
  C[<a href="${log.url}/link">link</a>]
\`\`\`
`;
      const dir = makeProject({ 'decks/attack.md': attack });
      const run = await cli(['build'], dir);
      expect(run.code, run.stderr).toBe(0);
      const html = readFileSync(join(dir, 'dist/attack/index.html'), 'utf8');
      const svg = svgIn(html).join('');
      expect(svg.length).toBeGreaterThan(100);
      expect(svg).not.toMatch(/<script|onerror|onclick|javascript:|<img|<foreignObject|<a |@import/i);
      expect(svg).not.toContain(log.url);
      await new Promise((r) => setTimeout(r, 300));
      expect(log.hits).toEqual([]);
    } finally {
      await log.close();
    }
  });
});

describe.skipIf(!browserPath)("diagrams in the template's colours", () => {
  const flow = '## Flow\n\n```mermaid\nflowchart LR\n  A[Write] --> B[Present]\n```\n';
  /** The fill and stroke colours of the drawn diagram in a built deck's page. */
  const colours = (dir: string, deck: string): Set<string> => {
    const html = readFileSync(join(dir, 'dist', deck, 'index.html'), 'utf8');
    const svg = html.slice(html.indexOf('<svg'), html.lastIndexOf('</svg>'));
    return new Set([...svg.matchAll(/(?:fill|stroke):\s*(#[0-9a-f]{6})/gi)].map((m) => m[1]!.toLowerCase()));
  };

  it('takes the palette of the template and of the deck, keyed by it in the drawings kept, and a manifest override', async () => {
    const dir = makeProject({
      'decks/a.md': `---\ntitle: A\n---\n\n${flow}`,
      'decks/k.md': `---\ntitle: K\ntemplate: keynote\n---\n\n${flow}`,
      'decks/b.md': `---\ntitle: B\ntemplate: brand\n---\n\n${flow}`,
      'templates/brand/template.yaml':
        "name: brand\nextends: default\ndiagrams:\n  variables:\n    primaryColor: '#ffeeaa'\n",
    });
    expect((await cli(['build', '--no-pdf'], dir)).code).toBe(0);
    const teal = colours(dir, 'a');
    // The default template's accent (#0b6e6e) on its nodes; none of mermaid's own lavender.
    expect(teal.has('#0b6e6e')).toBe(true);
    expect([...teal].some((c) => ['#ececff', '#9370db'].includes(c))).toBe(false);
    // Keynote's amber accent, on its dark background.
    expect(colours(dir, 'k').has('#ffb224')).toBe(true);
    expect(colours(dir, 'b').has('#ffeeaa')).toBe(true);
    // A deck's own accent is a new palette: drawn again, not taken from the drawings kept.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'decks/a.md'), `---\ntitle: A\ntheme:\n  accent: "#7b2cbf"\n---\n\n${flow}`);
    expect((await cli(['build', '--no-pdf'], dir)).code).toBe(0);
    const purple = colours(dir, 'a');
    expect(purple.has('#7b2cbf')).toBe(true);
    expect(purple.has('#0b6e6e')).toBe(false);
  });
});
