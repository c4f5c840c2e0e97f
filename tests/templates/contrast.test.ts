import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listTemplates, loadTemplate } from '../../src/render/load-template.js';
import { repoRoot } from '../helpers/fs.js';

/** The custom properties a template ends up with: every :root rule of its chain, in order. */
function themeVariables(name: string): Record<string, string> {
  const template = loadTemplate(name, { projectDir: repoRoot });
  const vars: Record<string, string> = {};
  for (const layer of template.chain) {
    if (!layer.assets.includes('theme.css')) continue;
    const css = readFileSync(join(layer.dir, 'assets', 'theme.css'), 'utf8');
    for (const rule of css.matchAll(/:root\s*{([^}]*)}/g)) {
      for (const decl of rule[1]!.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g)) vars[decl[1]!] = decl[2]!.trim();
    }
  }
  return vars;
}

function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const full =
    h.length === 3
      ? h
          .split('')
          .map((c) => c + c)
          .join('')
      : h;
  const [r, g, b] = [0, 2, 4]
    .map((i) => parseInt(full.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Text colour on background colour, as the templates pair them. */
const pairs: [string, string][] = [
  ['--lectern-fg', '--lectern-bg'],
  ['--lectern-muted', '--lectern-bg'],
  ['--lectern-accent', '--lectern-bg'],
  ['--lectern-accent-contrast', '--lectern-accent'],
  ['--lectern-fg', '--lectern-code-bg'],
  ['--lectern-hl-keyword', '--lectern-code-bg'],
  ['--lectern-hl-string', '--lectern-code-bg'],
  ['--lectern-hl-number', '--lectern-code-bg'],
  ['--lectern-hl-comment', '--lectern-code-bg'],
  ['--lectern-hl-title', '--lectern-code-bg'],
  ['--lectern-hl-attr', '--lectern-code-bg'],
];

const builtins = listTemplates({ projectDir: repoRoot }).filter((t) => t.origin !== 'deck');

describe('built-in templates', () => {
  it('are at least default, a dark keynote style and a print handout style', () => {
    expect(builtins.map((t) => t.name)).toEqual(expect.arrayContaining(['default', 'keynote', 'handout']));
  });

  it('look different from each other', () => {
    const backgrounds = new Set(builtins.map((t) => themeVariables(t.name)['--lectern-bg']));
    expect(backgrounds.size).toBe(builtins.length);
  });

  describe.each(builtins.map((t) => t.name))('%s', (name) => {
    const vars = themeVariables(name);
    it.each(pairs)('%s on %s passes WCAG AA (4.5:1)', (fg, bg) => {
      expect(vars[fg], `${fg} is set`).toMatch(/^#[0-9a-f]{3,6}$/i);
      expect(vars[bg], `${bg} is set`).toMatch(/^#[0-9a-f]{3,6}$/i);
      expect(contrast(vars[fg]!, vars[bg]!)).toBeGreaterThanOrEqual(4.5);
    });
  });

  it('computes contrast the WCAG way', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
