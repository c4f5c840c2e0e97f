import type { SourcePos, Finding } from '../../errors.js';
import { revealOptionsSchema, transitions } from '../../config/schema.js';
import type { Dialect } from './detect.js';
import { slidevTransition } from './slidev-layouts.js';

/**
 * Front-matter keys of reveal-md, Pandoc, Quarto and Marp, read the way those tools read them:
 * mapped onto Lectern's options, handed to the dialect that reads them, or dropped with a
 * warning that says so. What is left is Lectern's own and is validated as such. Pure.
 */

/** Options a dialect reads while splitting and shaping slides (separators, Marp directives…). */
export type DialectKeys = Record<string, unknown>;

interface MappedFrontMatter {
  /** Lectern's own keys, to validate against the deck schema. */
  layer: Record<string, unknown>;
  /** Keys the deck's dialect reads itself. */
  dialectKeys: DialectKeys;
  warnings: Finding[];
  /** Each mapped option's source key, so a bad value is reported where it was written. */
  origins: Map<string, (string | number)[]>;
}

const darkThemes = new Set([
  'black',
  'night',
  'league',
  'blood',
  'moon',
  'dracula',
  'dark',
  'cyborg',
  'darkly',
  'slate',
  'superhero',
  'solarized-dark',
  'uncover-invert',
  'black-contrast',
]);
/** Theme names of reveal.js, Quarto and Marp; each maps to the closest built-in template. */
const knownThemes = new Set([
  ...darkThemes,
  'white',
  'beige',
  'sky',
  'serif',
  'simple',
  'solarized',
  'white-contrast',
  'default',
  'uncover',
  'gaia',
  'simple',
  'league',
  'moon',
  'sky',
  'serif',
]);

/** Keys of other tools that concern their own machinery, not the deck: dropped with a warning. */
const ignoredKeys: Record<string, string> = {
  highlightTheme: "code is highlighted in the template's colours",
  scripts: "Lectern never runs a deck's scripts",
  preprocessor: 'Lectern runs no preprocessor code',
  listingTemplate: "the index page is Lectern's own",
  staticDirs: 'files a deck uses are found from its Markdown',
  absoluteUrl: 'decks use relative links',
  featuredSlide: 'the index shows a thumbnail of the first slide',
  watch: 'use `lectern serve`',
  port: 'use `lectern serve --port`',
  glob: 'give files or folders to `lectern build`',
  'header-includes': 'raw HTML in the page head is not taken',
  'include-before': 'raw HTML in the page is not taken',
  'include-after': 'raw HTML in the page is not taken',
  'revealjs-url': 'Lectern ships its own reveal.js',
  execute: 'Lectern runs no code cells',
  jupyter: 'Lectern runs no code cells',
  engine: 'Lectern runs no code cells',
  knitr: 'Lectern runs no code cells',
  bibliography: 'citations are not processed',
  csl: 'citations are not processed',
  toc: 'no table-of-contents slide is made',
  'toc-depth': 'no table-of-contents slide is made',
  editor: 'an editor setting',
  filters: 'Lectern runs no Pandoc filters',
  'self-contained': 'Lectern decks are offline already',
  'embed-resources': 'Lectern decks are offline already',
  'date-format': 'the date is shown as written',
  'title-slide-attributes': "the title slide is the template's",
  abstract: 'not shown on slides',
  style: "a deck's own CSS goes in a stylesheet named by `css:`",
  marp: 'the deck is read as Marp',
  description: 'kept for the page only',
  url: 'not used',
  image: 'not used',
  mainfont: "fonts are the template's (set them with `theme:` values)",
  monofont: "fonts are the template's (set them with `theme:` values)",
  fontsize: "type sizes are the template's",
  'code-line-numbers': 'code has no line numbers',
  'code-copy': 'code has no copy button',
  'highlight-style': "code is highlighted in the template's colours",
  logo: "set a logo with the template's `theme: { logo: … }` value",
  'footer-text': 'not used',
  chalkboard: 'no chalkboard plugin',
  multiplex: 'no multiplex plugin',
  'preview-links': 'links open in a new tab',
  menu: 'no menu plugin',
  'pdf-separate-fragments': 'use `lectern build --pdf-fragments`',
  'link-external-newwindow': 'links open in a new tab',
  smaller: "type sizes are the template's",
  scrollable: 'slides do not scroll; `lectern check` reports overflow',
  history: 'kept as reveal.js default',
  width: 'slides are 16:9 (1280×720) or 4:3: set `aspect:`',
  height: 'slides are 16:9 (1280×720) or 4:3: set `aspect:`',
  self_contained: 'Lectern decks are offline already',
  output: 'an R Markdown setting',
  params: 'Lectern runs no code cells',
  'number-sections': 'sections are not numbered',
};

/** Keys a dialect reads while splitting: honoured by that dialect, warned about in others. */
const dialectKeyOwners: Record<string, Dialect> = {
  separator: 'reveal-md',
  verticalSeparator: 'reveal-md',
  notesSeparator: 'reveal-md',
  paginate: 'marp',
  headingDivider: 'marp',
  header: 'marp',
  footer: 'marp',
  class: 'marp',
  backgroundColor: 'marp',
  backgroundImage: 'marp',
  backgroundPosition: 'marp',
  backgroundRepeat: 'marp',
  backgroundSize: 'marp',
  color: 'marp',
};

/** reveal.js options other tools pass (`revealOptions`, Quarto's `format: revealjs`), by their name there. */
const revealNames: Record<string, string> = {
  'slide-number': 'slideNumber',
  'show-slide-number': 'showSlideNumber',
  'controls-layout': 'controlsLayout',
  'controls-tutorial': 'controlsTutorial',
  'controls-back-arrows': 'controlsBackArrows',
  'navigation-mode': 'navigationMode',
  'preview-links': 'previewLinks',
  'transition-speed': 'transitionSpeed',
  'background-transition': 'backgroundTransition',
  'auto-slide': 'autoSlide',
  'mouse-wheel': 'mouseWheel',
  'show-notes': 'showNotes',
  'auto-play-media': 'autoPlayMedia',
  'fragment-in-url': 'fragmentInURL',
  'view-distance': 'viewDistance',
  'hide-inactive-cursor': 'hideInactiveCursor',
};

const revealKeys = Object.keys(revealOptionsSchema.shape);

/** Slidev's per-slide keys, which its headmatter gives the first slide. */
const slidevSlideKeys = new Set([
  'layout',
  'class',
  'background',
  'image',
  'backgroundSize',
  'transition',
  'hide',
  'disabled',
  'src',
  'clicks',
  'clicksStart',
  'level',
  'hideInToc',
  'routeAlias',
  'zoom',
  'preload',
  'dragPos',
  'url',
]);

export function mapForeignKeys(
  data: Record<string, unknown>,
  dialect: Dialect,
  locate: (path: (string | number)[]) => SourcePos,
  quarto = false,
): MappedFrontMatter {
  const layer: Record<string, unknown> = {};
  const dialectKeys: DialectKeys = {};
  const warnings: Finding[] = [];
  const origins = new Map<string, (string | number)[]>();
  const warn = (path: (string | number)[], message: string, hint?: string) =>
    warnings.push({ code: 'OPTION_IGNORED', message, pos: locate(path), ...(hint ? { hint } : {}) });
  const set = (key: string, value: unknown, from: (string | number)[]) => {
    layer[key] = value;
    origins.set(key, from);
  };

  const authors: string[] = [];
  const affiliations: string[] = [];
  const takeReveal = (options: Record<string, unknown>, base: (string | number)[]) => {
    const reveal: Record<string, unknown> = {};
    for (const [rawKey, value] of Object.entries(options)) {
      const key = (Object.hasOwn(revealNames, rawKey) ? revealNames[rawKey] : undefined) ?? rawKey;
      const path = [...base, rawKey];
      if (
        key === 'transition' ||
        key === 'slideNumber' ||
        key === 'incremental' ||
        key === 'theme' ||
        key === 'slide-level' ||
        key === 'css' ||
        key === 'logo' ||
        key === 'footer'
      ) {
        // Options Lectern keeps at the deck level.
        mapTop(key, value, path);
      } else if (revealKeys.includes(key)) {
        reveal[key] = value;
      } else if (Object.hasOwn(ignoredKeys, rawKey)) {
        warn(path, `"${rawKey}" is ignored: ${ignoredKeys[rawKey]}`);
      } else {
        warn(path, `reveal.js option "${rawKey}" is ignored`, `Lectern passes on: ${revealKeys.join(', ')}`);
      }
    }
    if (Object.keys(reveal).length) set('reveal', { ...((layer.reveal as object) ?? {}), ...reveal }, base);
  };

  const mapTop = (key: string, value: unknown, path: (string | number)[]): void => {
    switch (key) {
      case 'theme':
        // Quarto: `theme: [default, custom.scss]`: the name first, then its own Sass (not read).
        if (Array.isArray(value)) {
          const [name, ...own] = value.filter((v): v is string => typeof v === 'string');
          if (own.length)
            warn(
              path,
              `the theme's own styles (${own.join(', ')}) are ignored: Sass is not compiled`,
              'put CSS in a stylesheet named by `css:`',
            );
          if (name) mapTop('theme', name, path);
          return;
        }
        if (typeof value === 'string') {
          const name = value
            .replace(/^.*\//, '')
            .replace(/\.css$/, '')
            .toLowerCase();
          const template = darkThemes.has(name) ? 'keynote' : 'default';
          set('template', template, path);
          // A known theme maps onto the closest template; only a name Lectern cannot place is worth a warning.
          if (!knownThemes.has(name))
            warn(
              path,
              `theme "${value}" is not one Lectern knows: the deck uses the "${template}" template`,
              'set `template:` to choose a Lectern template, and `theme:` values for its colours',
            );
          return;
        }
        set('theme', value, path);
        return;
      case 'slideNumber':
      case 'slide-number':
        if (value === true || value === false || typeof value === 'string')
          set('slideNumber', value === 'true' ? true : value === 'false' ? false : value, path);
        return;
      case 'transition':
        if (typeof value === 'string' && !(transitions as readonly string[]).includes(value)) {
          warn(
            path,
            `transition "${value}" is not one reveal.js has: the deck uses "slide"`,
            `transitions: ${transitions.join(', ')}`,
          );
          return;
        }
        set('transition', value, path);
        return;
      case 'css':
        set('css', value, path);
        return;
      case 'slide-level':
        // Quarto reads it from the document; Pandoc only from its command line.
        if (quarto || dialect !== 'pandoc') set('slideLevel', value, path);
        else
          warn(
            path,
            '`slide-level` in the document is ignored, as Pandoc ignores it (it reads `--slide-level` only)',
            'set `slideLevel:` to choose the slide level in Lectern',
          );
        return;
      case 'incremental':
        set('incremental', value, path);
        return;
      case 'footer':
      case 'logo':
        // Quarto's footer and logo are the default template's theme values of the same names.
        if (dialect === 'marp' && key === 'footer') dialectKeys.footer = value;
        else if (typeof value === 'string') set('theme', { ...((layer.theme as object) ?? {}), [key]: value }, path);
        else warn(path, `"${key}" is ignored`, "set it through the template's `theme:` values");
        return;
    }
  };

  for (const [key, written] of Object.entries(data)) {
    const path = [key];
    const value = quarto ? withoutShortcodes(written, path, warn) : written;
    if (dialect === 'slidev' && slidevSlideKeys.has(key)) {
      // The headmatter is the first slide's front matter too.
      dialectKeys[key] = value;
      if (key === 'transition') {
        const named = slidevTransition(value);
        if (named) set('transition', named, path);
      }
      continue;
    }
    if (key === 'revealOptions' || key === 'reveal_options') {
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        takeReveal(value as Record<string, unknown>, path);
      else warn(path, '`revealOptions` is not a map of options; ignored');
    } else if (key === 'format') {
      // Quarto: `format: revealjs` or `format: { revealjs: { … } }`.
      const revealjs =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>).revealjs : undefined;
      if (revealjs !== null && typeof revealjs === 'object')
        takeReveal(revealjs as Record<string, unknown>, [key, 'revealjs']);
      for (const other of value !== null && typeof value === 'object'
        ? Object.keys(value as object).filter((k) => k !== 'revealjs')
        : []) {
        warn([key, other], `output format "${other}" is ignored; Lectern makes reveal.js decks`);
      }
    } else if (key === 'author' || key === 'authors') {
      for (const entry of Array.isArray(value) ? value : [value]) {
        if (typeof entry === 'string' || typeof entry === 'number') authors.push(String(entry));
        else if (entry !== null && typeof entry === 'object') {
          const person = entry as Record<string, unknown>;
          if (person.name !== undefined)
            authors.push(
              typeof person.name === 'object' && person.name !== null
                ? Object.values(person.name).join(' ')
                : String(person.name),
            );
          for (const aff of [person.affiliation, person.affiliations].flat()) {
            if (typeof aff === 'string') affiliations.push(aff);
            else if (aff !== null && typeof aff === 'object' && 'name' in aff)
              affiliations.push(String((aff as { name: unknown }).name));
          }
        }
      }
      origins.set('author', path);
    } else if (key === 'institute' || key === 'affiliation') {
      for (const entry of Array.isArray(value) ? value : [value])
        if (typeof entry === 'string') affiliations.push(entry);
    } else if (key === 'dialect' || (key === 'marp' && dialect === 'marp')) {
      // Read by detection already.
    } else if (
      key === 'theme' ||
      key === 'slide-number' ||
      key === 'transition' ||
      key === 'css' ||
      key === 'slide-level' ||
      key === 'incremental' ||
      (key === 'slideNumber' && typeof value === 'string' && !['h.v', 'h/v', 'c', 'c/t'].includes(value))
    ) {
      mapTop(key, value, path);
    } else if (Object.hasOwn(dialectKeyOwners, key) || key.startsWith('_')) {
      const owner =
        (Object.hasOwn(dialectKeyOwners, key.replace(/^_/, ''))
          ? dialectKeyOwners[key.replace(/^_/, '')]
          : undefined) ?? 'marp';
      if (owner === dialect) {
        if (owner === 'marp') dialectKeys[key] = value;
        else set(key === 'slide-level' ? 'slideLevel' : key, value, path);
      } else
        warn(
          path,
          `"${key}" is ignored: it is a ${owner} option and this deck is read as ${dialect}`,
          `add \`dialect: ${owner}\` to read the deck as ${owner}`,
        );
    } else if (key === 'math') {
      // Marp's engine choice (katex, mathjax, true): formulas are set either way, with KaTeX.
      if (value === false)
        warn(
          path,
          '"math: false" is ignored: formulas between $ signs are still set (with KaTeX)',
          'write \\$ for a dollar sign that is not a formula',
        );
    } else if (Object.hasOwn(ignoredKeys, key)) {
      warn(path, `"${key}" is ignored: ${ignoredKeys[key]}`);
    } else if (key === 'template' && typeof value === 'string' && /\.html?$/i.test(value)) {
      warn(
        path,
        `template "${value}" is an HTML page of another tool; ignored`,
        'Lectern templates are folders: run `lectern templates` for the list',
      );
    } else if (key === 'size') {
      if (value === '4:3' || value === '16:9') set('aspect', value, path);
      else
        warn(path, `size "${String(value)}" is ignored: slides are 16:9 or 4:3`, 'set `size: 4:3` or `aspect: "4:3"`');
    } else {
      set(key, value, path);
    }
  }
  if (authors.length) set('author', authors.join(', '), ['author']);
  if (affiliations.length) {
    set(
      'institute',
      [...new Set(affiliations)].join('; '),
      data.institute !== undefined ? ['institute'] : data.affiliation !== undefined ? ['affiliation'] : ['author'],
    );
  }
  return { layer, dialectKeys, warnings, origins };
}

const SHORTCODE = /\{\{<\s*([\w-]+)[^>]{0,500}>\}\}/g;

/** Quarto's shortcodes (`{{< iconify … >}}`) in front-matter text: left out, one warning each. */
function withoutShortcodes(
  value: unknown,
  path: (string | number)[],
  warn: (path: (string | number)[], message: string, hint?: string) => void,
  depth = 0,
): unknown {
  if (typeof value === 'string') {
    if (!value.includes('{{<')) return value;
    return value
      .replace(SHORTCODE, (_whole, name: string) => {
        warn(path, `the Quarto shortcode "${name}" is left out: Lectern has no shortcodes`);
        return '';
      })
      .replace(/[ \t]{2,}/g, ' ')
      .trim();
  }
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  // Only what YAML makes of maps and lists is walked: a date stays a date.
  if (!Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) return value;
  if (Array.isArray(value)) return value.map((v, i) => withoutShortcodes(v, [...path, i], warn, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, withoutShortcodes(v, [...path, k], warn, depth + 1)]),
  );
}
