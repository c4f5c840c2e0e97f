import { colorTable } from './css-colors.js';

/**
 * A template's colours as Lectern can know them without a browser: the custom properties of the
 * `:root` rules of its stylesheets, with a deck's theme values over them, `var()` resolved.
 * Pure: the caller reads the files.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/**
 * The custom properties every `:root { … }` rule of these stylesheets sets, later ones winning,
 * in the order of their last declaration.
 */
export function rootVariables(stylesheets: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const css of stylesheets) {
    const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
    for (const rule of text.matchAll(/(?:^|})\s*:root\s*{([^}]*)}/g)) {
      for (const decl of rule[1]!.matchAll(/(--[\w-]+)\s*:\s*([^;]+?)\s*(?:;|$)/g)) {
        delete vars[decl[1]!];
        vars[decl[1]!] = decl[2]!;
      }
    }
  }
  return vars;
}

/** A property's value with every `var(--x, fallback)` in it replaced; undefined when one is unset. */
export function resolveVariable(vars: Record<string, string>, name: string, depth = 0): string | undefined {
  const value = vars[name];
  if (value === undefined || depth > 20) return undefined;
  let unresolved = false;
  const out = value.replace(/var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)/g, (_m, inner: string, fallback?: string) => {
    const got = resolveVariable(vars, inner, depth + 1) ?? fallback?.trim();
    if (got === undefined) unresolved = true;
    return got ?? '';
  });
  return unresolved ? undefined : out.trim();
}

/** The first of `names` a property is, or takes its value from through `var()`. */
export function dependsOn(
  vars: Record<string, string>,
  property: string,
  names: Set<string>,
  depth = 0,
): string | undefined {
  if (names.has(property)) return property;
  const value = vars[property];
  if (value === undefined || depth > 20) return undefined;
  for (const m of value.matchAll(/var\(\s*(--[\w-]+)/g)) {
    const found = dependsOn(vars, m[1]!, names, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const channel = (s: string, scale: number): number =>
  s.endsWith('%') ? (Number.parseFloat(s) / 100) * 255 : Number.parseFloat(s) * scale;

/** A CSS colour as sRGB: hex, rgb()/rgba(), hsl()/hsla(), a name, `transparent`; undefined for others. */
export function parseColor(input: string): Rgba | undefined {
  const value = input.trim().toLowerCase();
  if (value === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const named = Object.hasOwn(colorTable, value) ? colorTable[value] : undefined;
  if (named) return parseColor(named);
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(value);
  if (hex) {
    const h = hex[1]!;
    const full = h.length <= 4 ? [...h].map((c) => c + c).join('') : h;
    const n = (i: number): number => Number.parseInt(full.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: full.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^(rgba?|hsla?)\(([^()]*)\)$/.exec(value);
  if (!fn) return undefined;
  const parts = fn[2]!
    .replace(/\s*\/\s*/, ' / ')
    .split(/\s*,\s*|\s+(?!\/)|\s*\/\s*/)
    .filter(Boolean);
  if (parts.length < 3 || parts.length > 4 || parts.some((p) => !/^[+-]?(\d+\.?\d*|\.\d+)(%|deg)?$/.test(p))) {
    return undefined;
  }
  const alpha =
    parts[3] === undefined ? 1 : parts[3].endsWith('%') ? Number.parseFloat(parts[3]) / 100 : Number(parts[3]);
  const clamp = (x: number, hi: number): number => Math.min(hi, Math.max(0, x));
  if (fn[1]!.startsWith('rgb')) {
    const [r, g, b] = parts.slice(0, 3).map((p) => clamp(channel(p, 1), 255));
    return { r: r!, g: g!, b: b!, a: clamp(alpha, 1) };
  }
  const hue = (((Number.parseFloat(parts[0]!) % 360) + 360) % 360) / 360;
  const sat = clamp(Number.parseFloat(parts[1]!) / 100, 1);
  const light = clamp(Number.parseFloat(parts[2]!) / 100, 1);
  const q = light < 0.5 ? light * (1 + sat) : light + sat - light * sat;
  const p = 2 * light - q;
  const tone = (t0: number): number => {
    const t = t0 < 0 ? t0 + 1 : t0 > 1 ? t0 - 1 : t0;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return { r: tone(hue + 1 / 3) * 255, g: tone(hue) * 255, b: tone(hue - 1 / 3) * 255, a: clamp(alpha, 1) };
}

/** A colour laid over another, as the screen shows it. */
export function over(top: Rgba, under: Rgba): Rgba {
  const mix = (x: number, y: number): number => x * top.a + y * (1 - top.a);
  return { r: mix(top.r, under.r), g: mix(top.g, under.g), b: mix(top.b, under.b), a: 1 };
}

function luminance({ r, g, b }: Rgba): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG's contrast ratio of two opaque colours, 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Reveal.js's own test of a slide background: below 128 it adds `has-dark-background`. */
export function isDarkBackground({ r, g, b }: Rgba): boolean {
  return (r * 299 + g * 587 + b * 114) / 1000 < 128;
}

/** `#rrggbb` of an opaque colour, for messages. */
export function hexOf({ r, g, b }: Rgba): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Mermaid's theme variables from a template's palette (its custom properties, a deck's theme
 * values over them): nodes a tint of the accent on the slide's background, their borders and the
 * lines in the accent and the text colour, text in the text colour, dark mode on a dark
 * background. Hex only (mermaid computes its shades from them). Undefined when the palette lacks
 * the background, the text or the accent colour.
 */
export function diagramPalette(vars: Record<string, string>): Record<string, string | boolean> | undefined {
  const colour = (name: string): Rgba | undefined => {
    const value = resolveVariable(vars, name);
    return value === undefined ? undefined : parseColor(value);
  };
  const bg = colour('--lectern-bg');
  const fg = colour('--lectern-fg');
  const accent = colour('--lectern-accent');
  if (!bg || !fg || !accent) return undefined;
  const solidBg = over(bg, { r: 255, g: 255, b: 255, a: 1 });
  const tint = (c: Rgba, share: number): string => hexOf(over({ ...c, a: share }, solidBg));
  const dark = isDarkBackground(solidBg);
  const code = colour('--lectern-code-bg');
  // The rest (a node's fill and border, a sequence's actors and signals) mermaid derives from these.
  return {
    darkMode: dark,
    background: hexOf(solidBg),
    fontFamily: 'inherit',
    primaryColor: tint(accent, dark ? 0.35 : 0.14),
    primaryTextColor: hexOf(over(fg, solidBg)),
    primaryBorderColor: hexOf(over(accent, solidBg)),
    secondaryColor: code ? hexOf(over(code, solidBg)) : tint(fg, 0.08),
    tertiaryColor: tint(fg, dark ? 0.12 : 0.05),
    lineColor: tint(fg, 0.75),
    textColor: hexOf(over(fg, solidBg)),
    clusterBkg: tint(fg, dark ? 0.1 : 0.04),
    clusterBorder: tint(fg, 0.35),
    edgeLabelBackground: hexOf(solidBg),
    noteBkgColor: tint(accent, 0.08),
    noteBorderColor: tint(accent, 0.6),
  };
}

/**
 * How a deck's diagrams are drawn, as the one string the cache and the drawing page key on: a
 * mermaid theme's name when the template names one and sets no variables, else mermaid's `base`
 * theme with the palette's variables (and the template's own over them), as JSON.
 */
export function diagramStyle(
  named: string | undefined,
  templateVariables: Record<string, string>,
  palette: Record<string, string | boolean> | undefined,
): string {
  if (named && !Object.keys(templateVariables).length) return named;
  if (!palette && !Object.keys(templateVariables).length) return named ?? 'default';
  return JSON.stringify({ theme: 'base', themeVariables: { ...palette, ...templateVariables } });
}
