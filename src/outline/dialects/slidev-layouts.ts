import type { Finding, SourcePos } from '../../errors.js';
import type { DialectKeys } from './foreign-keys.js';

/**
 * Slidev's layouts and per-slide keys as Lectern's: the layout a slide gets, the columns its
 * slots make, its background and its classes. Pure.
 */

export interface SlidevLayout {
  /** Lectern's layout, when Slidev's has one; otherwise the slide's content decides. */
  name?: string;
  /** `::right::` starts a second column. */
  columns?: boolean;
  /** The picture's side in image-left / image-right. */
  split?: 'left' | 'right';
  /** The `image:` fills the slide (layout image). */
  image?: boolean;
}

const layouts: Record<string, SlidevLayout> = {
  default: {},
  none: {},
  full: {},
  cover: { name: 'statement' },
  intro: { name: 'statement' },
  center: { name: 'statement' },
  statement: { name: 'statement' },
  fact: { name: 'statement' },
  section: { name: 'section' },
  quote: { name: 'quote' },
  end: { name: 'closing' },
  'two-cols': { name: 'two-column', columns: true },
  'two-cols-header': { name: 'two-column', columns: true },
  'image-left': { split: 'left' },
  'image-right': { split: 'right' },
  image: { image: true },
  iframe: {},
  'iframe-left': {},
  'iframe-right': {},
};

/** Slidev's layout for a slide: its own, or `cover` for the first and `default` for the rest. */
export function slidevLayout(value: unknown, index: number, pos: SourcePos, warnings: Finding[]): SlidevLayout {
  if (value === undefined || value === null) return index === 0 ? {} : {};
  const name = String(value);
  if (Object.hasOwn(layouts, name)) return layouts[name]!;
  warnings.push({
    code: 'OPTION_IGNORED',
    message: `Slidev layout "${name}" is not one Lectern has (a theme's or the deck's own); the slide's content decides its layout`,
    pos,
    hint: `Slidev's layouts Lectern maps: ${Object.keys(layouts).join(', ')}`,
  });
  return {};
}

/** Per-slide keys Slidev reads for its own machinery: nothing to show, nothing to say. */
const quiet = new Set([
  'layout',
  'hide',
  'disabled',
  'src',
  'title',
  'name',
  'level',
  'hideInToc',
  'routeAlias',
  'preload',
  'clicks',
  'clicksStart',
  'zoom',
  'dragPos',
  'lang',
  'transition',
  'url',
  'scale',
]);

/** The `.slide:` attributes of a slide: its classes and background. */
export function slidevSlideAttributes(
  fm: DialectKeys,
  layout: SlidevLayout,
  pos: SourcePos,
  warnings: Finding[],
  ignored: Set<string>,
): string[] {
  const attrs: string[] = [];
  const classes: string[] = [];
  const cls = fm.class;
  if (typeof cls === 'string') classes.push(...cls.split(/\s+/));
  else if (Array.isArray(cls)) classes.push(...cls.filter((c): c is string => typeof c === 'string'));
  const image = typeof fm.image === 'string' ? fm.image : undefined;
  const background = typeof fm.background === 'string' ? fm.background.trim() : undefined;
  if (layout.split && image) {
    attrs.push(`data-background-image=${quote(image)}`, 'data-background-size="cover"');
    classes.push(`lectern-split-${layout.split}`, 'lectern-split-50');
  } else if (image && layout.image) {
    attrs.push(
      `data-background-image=${quote(image)}`,
      `data-background-size=${quote(typeof fm.backgroundSize === 'string' ? fm.backgroundSize : 'cover')}`,
    );
  } else if (background) {
    if (/^(#[0-9a-f]{3,8}|rgba?\(|hsla?\(|[a-z]+$)/i.test(background))
      attrs.push(`data-background-color=${quote(background)}`);
    else attrs.push(`data-background-image=${quote(cssUrl(background))}`, 'data-background-size="cover"');
  }
  const safe = classes.filter((c) => /^[\w:-]+$/.test(c) && c.length <= 80);
  if (safe.length) attrs.unshift(`class=${quote(safe.join(' '))}`);
  for (const key of Object.keys(fm)) {
    if (quiet.has(key) || key === 'class' || key === 'image' || key === 'background' || key === 'backgroundSize')
      continue;
    if (ignored.has(key)) continue;
    ignored.add(key);
    warnings.push({
      code: 'OPTION_IGNORED',
      message: `"${key}" in a slide's front matter is ignored: Slidev hands it to the slide's layout, Lectern does not use it`,
      pos,
      hint: 'said once a deck; `--strict` makes ignored options errors',
    });
  }
  return attrs;
}

/** Slidev's transitions, as reveal.js names its nearest. */
export function slidevTransition(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const forward = value.split('|')[0]!.trim();
  if (/^fade/.test(forward)) return 'fade';
  if (/^slide-/.test(forward)) return 'slide';
  if (forward === 'none') return 'none';
  return undefined;
}

function cssUrl(value: string): string {
  const m = /^\s*url\(\s*(['"]?)(.*?)\1\s*\)\s*$/.exec(value);
  return m ? m[2]! : value;
}

function quote(value: string): string {
  return `"${value.replace(/"/g, '&quot;')}"`;
}
