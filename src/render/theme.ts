import { didYouMean } from '../suggest.js';
import { namedColors } from './css-colors.js';
import { DeckError, type SourcePos } from '../errors.js';
import type { ThemeType, ThemeVar } from './load-template.js';

/** Where each theme value was written, so a bad one can be pointed at. */
export type Locate = (path: (string | number)[]) => SourcePos;

/** An example of each type, for hints. */
const examples: Record<ThemeType, string> = {
  color: '"#0b6e6e"',
  font: `"'Inter', sans-serif"`,
  length: '34px',
  image: 'images/logo.svg',
  text: '"Open Source Summit 2026"',
};

const checks: Record<ThemeType, { test: (value: string) => boolean; expect: string }> = {
  color: {
    test: (v) =>
      /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(v) ||
      /^(rgb|rgba|hsl|hsla|hwb|oklch|oklab|lab|lch)\([0-9a-z\s.,%/+-]+\)$/i.test(v) ||
      namedColors.includes(v.toLowerCase()),
    expect: 'a colour such as #0b6e6e, rgb(11 110 110) or teal',
  },
  font: {
    test: (v) => /^[\w\s"',.-]+$/.test(v) && !/[;{}<>]/.test(v),
    expect: "font family names such as 'Inter', system-ui, sans-serif",
  },
  length: {
    test: (v) => /^\d+(\.\d+)?(px|em|rem|%|vw|vh|vmin|vmax|pt)$/.test(v),
    expect: 'a length such as 34px or 1.2em',
  },
  image: {
    test: (v) => v.trim() !== '' && !/[<>"'()\\]/.test(v),
    expect: 'a path to an image in the deck folder, such as images/logo.svg',
  },
  text: {
    test: (v) => v.length <= 200,
    expect: 'a short text (200 characters at most)',
  },
};

/**
 * Checks a layer of theme values (front matter or config file) against the variables a
 * template declares. Unknown names and ill-formed values stop the build at their line.
 */
export function checkThemeValues(
  values: Record<string, unknown>,
  declared: Record<string, ThemeVar>,
  locate: Locate,
  template: string,
): void {
  for (const [name, raw] of Object.entries(values)) {
    const variable = Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (!variable) {
      const known = Object.keys(declared).sort();
      throw new DeckError(
        'THEME_UNKNOWN',
        `template "${template}" has no theme variable "${name}"${didYouMean(name, known)}`,
        {
          pos: locate(['theme', name]),
          hint: known.length
            ? `theme variables of "${template}": ${known.join(', ')}`
            : `template "${template}" declares no theme variables`,
        },
      );
    }
    const value = String(raw).trim();
    if (!checks[variable.type].test(value)) {
      // A name close to one of CSS's colours is most likely that colour misspelt.
      const near =
        variable.type === 'color' && /^[a-z]+$/i.test(value) ? didYouMean(value.toLowerCase(), namedColors) : '';
      throw new DeckError('THEME_INVALID', `theme.${name} "${value}" is not ${checks[variable.type].expect}${near}`, {
        pos: locate(['theme', name]),
        hint: `write it as, for example, theme: { ${name}: ${examples[variable.type]} }`,
      });
    }
  }
}

/** The custom properties a deck's theme values set, with the theme name that set each. */
export function themeProperties(
  values: Record<string, string>,
  declared: Record<string, ThemeVar>,
): { property: string; name: string; value: string }[] {
  return Object.entries(values)
    .filter(([name]) => Object.hasOwn(declared, name) && declared[name]!.css && declared[name]!.type !== 'image')
    .map(([name, value]) => ({
      property: declared[name]!.css!,
      name,
      value: cssValue(value.trim(), declared[name]!.type),
    }));
}

/** The `:root { … }` rule that applies a deck's theme values, or '' when there are none. */
export function themeCss(values: Record<string, string>, declared: Record<string, ThemeVar>): string {
  const lines = themeProperties(values, declared).map(({ property, value }) => `  ${property}: ${value};`);
  return lines.length ? `:root {\n${lines.join('\n')}\n}` : '';
}

/** Text goes into the stylesheet as a CSS string, so it can never close the rule or the <style>. */
function cssValue(value: string, type: ThemeType): string {
  if (type !== 'text') return value.replace(/</g, '\\3c ');
  return `"${value.replace(/[\\"<>\n\r{};]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}
