import { describe, expect, it } from 'vitest';
import { listTemplates, loadTemplate } from '../../src/render/load-template.js';
import { contrastRatio, hexOf, parseColor, resolveVariable } from '../../src/render/palette.js';
import { repoRoot } from '../helpers/fs.js';

/** A template's colour, every var() resolved, as #rrggbb. */
function colourOf(name: string, property: string): string | undefined {
  const value = resolveVariable(loadTemplate(name, { projectDir: repoRoot }).variables, property);
  const parsed = value === undefined ? undefined : parseColor(value);
  return parsed && parsed.a === 1 ? hexOf(parsed) : undefined;
}

function contrast(a: string, b: string): number {
  return contrastRatio(parseColor(a)!, parseColor(b)!);
}

/** Text colour on background colour, as the templates pair them. */
const pairs: [string, string][] = [
  ['--lectern-fg', '--lectern-bg'],
  ['--lectern-muted', '--lectern-bg'],
  ['--lectern-accent', '--lectern-bg'],
  ['--lectern-accent-contrast', '--lectern-accent'],
  ['--lectern-section-fg', '--lectern-section-bg'],
  ['--lectern-caption-fg', '--lectern-caption-bg'],
  ['--lectern-code-fg', '--lectern-code-bg'],
  ['--lectern-hl-keyword', '--lectern-code-bg'],
  ['--lectern-hl-string', '--lectern-code-bg'],
  ['--lectern-hl-number', '--lectern-code-bg'],
  ['--lectern-hl-comment', '--lectern-code-bg'],
  ['--lectern-hl-title', '--lectern-code-bg'],
  ['--lectern-hl-attr', '--lectern-code-bg'],
];

const builtins = listTemplates({ projectDir: repoRoot }).filter((t) => t.origin !== 'deck');

describe('built-in templates', () => {
  it('are at least default, a dark keynote style, a print handout style and a conference stage style', () => {
    expect(builtins.map((t) => t.name)).toEqual(expect.arrayContaining(['default', 'keynote', 'handout', 'stage']));
  });

  it('look different from each other', () => {
    const backgrounds = new Set(builtins.map((t) => colourOf(t.name, '--lectern-bg')));
    expect(backgrounds.size).toBe(builtins.length);
  });

  describe.each(builtins.map((t) => t.name))('%s', (name) => {
    it.each(pairs)('%s on %s passes WCAG AA (4.5:1)', (fg, bg) => {
      const [text, under] = [colourOf(name, fg), colourOf(name, bg)];
      expect(text, `${fg} is an opaque colour`).toBeDefined();
      expect(under, `${bg} is an opaque colour`).toBeDefined();
      expect(contrast(text!, under!)).toBeGreaterThanOrEqual(4.5);
    });
  });

  it('computes contrast the WCAG way', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });
});
