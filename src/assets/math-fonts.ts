/**
 * Which of KaTeX's font files a deck's set math needs, read from KaTeX's own stylesheet: a rule
 * applies when every class its selector names is on the deck's math, and the faces it asks for
 * (family, weight, style) are the files to ship. Pure.
 */

interface Face {
  family: string;
  bold: boolean;
  italic: boolean;
  /** The woff2 file, relative to the stylesheet (`fonts/KaTeX_Main-Regular.woff2`). */
  file: string;
}

interface Rule {
  selectors: string[][];
  families: string[];
  bold: boolean;
  italic: boolean;
}

interface MathStylesheet {
  faces: Face[];
  rules: Rule[];
}

const parsed = new Map<string, MathStylesheet>();

function parse(css: string): MathStylesheet {
  const known = parsed.get(css);
  if (known) return known;
  const faces: Face[] = [];
  const rules: Rule[] = [];
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '');
  for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const head = m[1]!.trim();
    const body = m[2]!;
    const bold = /font-weight\s*:\s*(bold|[6-9]00)/i.test(body);
    const italic = /font-style\s*:\s*italic/i.test(body);
    if (head === '@font-face') {
      const family = /font-family\s*:\s*["']?([^"';]+)/i.exec(body)?.[1]?.trim();
      const file = /url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/i.exec(body)?.[1];
      if (family && file) faces.push({ family, bold, italic, file });
      continue;
    }
    if (head.startsWith('@')) continue;
    const families = [...new Set(body.match(/KaTeX_\w+/g) ?? [])];
    if (families.length === 0 && !bold && !italic) continue;
    const selectors = head.split(',').map((selector) => [...selector.matchAll(/\.([\w-]+)/g)].map((c) => c[1]!));
    rules.push({ selectors, families, bold, italic });
  }
  const sheet = { faces, rules };
  parsed.set(css, sheet);
  return sheet;
}

/** The font files (relative to the stylesheet) the math whose class names are `classes` uses. */
export function mathFontFiles(css: string, classes: readonly string[]): string[] {
  const { faces, rules } = parse(css);
  const used = new Set(classes);
  const applies = (rule: Rule): boolean =>
    rule.selectors.some((classNames) => classNames.length > 0 && classNames.every((c) => used.has(c)));
  // Faces asked for, per family; `*` for a weight or style set without a family (inherited).
  const wanted = new Map<string, Set<string>>();
  const want = (family: string, bold: boolean, italic: boolean): void => {
    const key = `${bold ? 'b' : 'n'}${italic ? 'i' : 'n'}`;
    if (!wanted.has(family)) wanted.set(family, new Set());
    wanted.get(family)!.add(key);
  };
  for (const rule of rules.filter(applies)) {
    if (rule.families.length === 0) want('*', rule.bold, rule.italic);
    for (const family of rule.families) want(family, rule.bold, rule.italic);
  }
  const inherited = wanted.get('*') ?? new Set<string>();
  const files = new Set<string>();
  for (const [family, keys] of wanted) {
    if (family === '*') continue;
    const own = faces.filter((face) => face.family === family);
    const all = new Set([...keys, ...[...inherited].map((k) => k)]);
    const chosen = own.filter((face) => all.has(`${face.bold ? 'b' : 'n'}${face.italic ? 'i' : 'n'}`));
    for (const face of chosen.length ? chosen : own) files.add(face.file);
  }
  return [...files].sort();
}
