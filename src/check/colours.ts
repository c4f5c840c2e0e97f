import type { Finding, SourcePos } from '../errors.js';
import type { Deck, Slide } from '../model/types.js';
import { resolveRules } from '../config/check-rules.js';
import {
  contrastRatio,
  hexOf,
  isDarkBackground,
  over,
  parseColor,
  resolveVariable,
  type Rgba,
} from '../render/palette.js';
import { ignoredAt, slideName } from './content.js';

/** WCAG AA for body text. */
const AA = 4.5;

interface ColourCheckInput {
  deck: Deck;
  /** The template's `:root` custom properties with the deck's theme values over them. */
  variables: Record<string, string>;
  /** The theme value (its name, where it was written) a deck or the config set that a CSS property takes; absent for the template's own. */
  themeAt: (property: string) => { name: string; pos: SourcePos } | undefined;
}

/** The text colours a surface has, and the colour of the surface. */
interface Surface {
  name: string;
  background: string;
  text: [property: string, role: string][];
}

/** The pairs the templates' layouts draw text with, on the slide and on a section slide's fill. */
const surfaces: Surface[] = [
  {
    name: 'the slide background',
    background: '--lectern-bg',
    text: [
      ['--lectern-fg', 'text'],
      ['--lectern-muted', 'muted text'],
      ['--lectern-accent', 'accent (links)'],
    ],
  },
  {
    name: 'a section slide',
    background: '--lectern-section-bg',
    text: [
      ['--lectern-section-fg', 'section text'],
      ['--lectern-section-accent', 'section accent'],
    ],
  },
  {
    name: 'code',
    background: '--lectern-code-bg',
    text: [['--lectern-code-fg', 'code text']],
  },
];

/**
 * Colour contrast Lectern knows without a browser, on every build: the theme's own pairs when a
 * deck or the config changed one of their colours, and every slide's own background colour
 * against the text colours the template gives a slide on a dark or a light background (the way
 * Reveal.js picks `has-dark-background` or `has-light-background`). The browser's check
 * (`lectern check`) sees the rest: images, gradients, colours written in a slide's own HTML.
 */
export function checkColours({ deck, variables, themeAt }: ColourCheckInput): Finding[] {
  const rule = resolveRules(deck.options.checks)['color-contrast'];
  if (rule.severity === 'off') return [];
  const severity = rule.severity;
  const findings: Finding[] = [];
  const colour = (property: string): Rgba | undefined => {
    const value = resolveVariable(variables, property);
    return value === undefined ? undefined : parseColor(value);
  };
  const page = colour('--lectern-bg');
  const opaque = (c: Rgba): Rgba => (c.a >= 1 || !page ? c : over(c, page));
  const push = (pos: SourcePos, message: string, hint: string): void => {
    findings.push({ code: rule.code, rule: 'color-contrast', severity, message, pos, hint });
  };

  const said = new Set<string>();
  for (const surface of surfaces) {
    const bg = colour(surface.background);
    if (!bg || bg.a === 0) continue;
    for (const [property, role] of surface.text) {
      const fg = colour(property);
      const at = (themeAt(property) ?? themeAt(surface.background))?.pos;
      if (!fg || !at) continue;
      const ratio = contrastRatio(opaque(fg), opaque(bg));
      const pair = `${hexOf(opaque(fg))} on ${hexOf(opaque(bg))}`;
      if (ratio >= AA || said.has(pair)) continue;
      said.add(pair);
      push(
        at,
        `the theme's ${role} ${hexOf(opaque(fg))} on ${surface.name} ${hexOf(opaque(bg))} has contrast ${ratio.toFixed(2)}:1, below the ${AA}:1 WCAG AA asks for`,
        'choose theme colours further apart in lightness (theme: in front matter or the config file)',
      );
    }
  }

  const slides = deck.stacks.flatMap((s) => s.slides);
  const ignored = ignoredAt(slides);
  slides.forEach((slide, index) => {
    const own = slideBackground(slide);
    if (!own || ignored('color-contrast', slide.pos.line)) return;
    const parsed = parseColor(own);
    // Gradients, images and colour spaces beyond sRGB are for the browser's check.
    if (!parsed || parsed.a === 0) return;
    const bg = opaque(parsed);
    const kind = isDarkBackground(parsed) ? 'dark' : 'light';
    const worst = (['fg', 'muted', 'accent'] as const)
      .map((role) => ({ role, property: `--lectern-${kind}-${role}`, fg: colour(`--lectern-${kind}-${role}`) }))
      .filter((x): x is typeof x & { fg: Rgba } => x.fg !== undefined)
      .map((x) => ({ ...x, ratio: contrastRatio(opaque(x.fg), bg) }))
      .sort((a, b) => a.ratio - b.ratio)[0];
    if (!worst || worst.ratio >= AA) return;
    const role = { fg: 'text', muted: 'muted text', accent: 'accent' }[worst.role];
    const themed = themeAt(worst.property);
    push(
      slide.pos,
      `${slideName(slide, index)}: on its ${kind} background ${own} the template's ${role} for ${kind} backgrounds, ${hexOf(opaque(worst.fg))}, has contrast ${worst.ratio.toFixed(2)}:1, below the ${AA}:1 WCAG AA asks for`,
      `choose a ${kind === 'dark' ? 'darker' : 'lighter'} background (Reveal.js calls it ${kind} by its brightness, and the slide takes the template's ${kind}-background colours)${
        themed
          ? `, or another theme ${themed.name} (line ${themed.pos.line}), which this ${role} comes from`
          : `, or set ${worst.property} in the template's :root`
      }`,
    );
  });
  return findings;
}

/** A slide's own background colour, as Reveal.js reads it; undefined when it has none or an image. */
export function slideBackground(slide: Slide): string | undefined {
  const color = slide.attributes['data-background-color'];
  if (color) return color.trim();
  const shorthand = slide.attributes['data-background'];
  return shorthand && parseColor(shorthand) ? shorthand.trim() : undefined;
}
