import { FenceTracker } from './lines.js';
import { inferSlideLevel } from './pandoc-structure.js';

/**
 * Which tool a deck was written for, from what the file itself shows: an explicit choice, the
 * file name, front-matter keys only one tool reads, and syntax only one tool writes. Pure.
 */

export const dialects = ['lectern', 'reveal-md', 'pandoc', 'marp', 'slidev'] as const;
export type Dialect = (typeof dialects)[number];

export interface DialectChoice {
  dialect: Dialect;
  /** Quarto's defaults on top of Pandoc's (a `.qmd` file, or `format: revealjs`). */
  quarto: boolean;
  /** Why this dialect was chosen, for `--verbose` and `--json`. */
  reason: string;
}

/** The dialect's name as the user writes it: Quarto's own for Pandoc with Quarto's defaults. */
export function dialectName(choice: DialectChoice): string {
  return choice.dialect === 'pandoc' && choice.quarto ? 'quarto' : choice.dialect;
}

/** Front-matter keys that only one tool's users write. */
const keysOf: Record<Exclude<Dialect, 'lectern'>, readonly string[]> = {
  'reveal-md': [
    'revealOptions',
    'separator',
    'verticalSeparator',
    'notesSeparator',
    'highlightTheme',
    'scripts',
    'preprocessor',
    'listingTemplate',
    'staticDirs',
    'absoluteUrl',
    'featuredSlide',
  ],
  pandoc: [
    'format',
    'institute',
    'slide-level',
    'incremental',
    'revealjs-url',
    'title-slide-attributes',
    'affiliation',
    'header-includes',
    'include-before',
    'include-after',
    'execute',
    'jupyter',
    'engine',
    'knitr',
    'bibliography',
    'toc',
    'editor',
    'filters',
    'self-contained',
    'embed-resources',
    'date-format',
    'abstract',
  ],
  slidev: [
    'highlighter',
    'drawings',
    'info',
    'mdc',
    'colorSchema',
    'titleTemplate',
    'themeConfig',
    'addons',
    'fonts',
    'lineNumbers',
    'exportFilename',
    'download',
    'defaults',
    'hideInToc',
    'routerMode',
    'aspectRatio',
    'canvasWidth',
    'favicon',
    'seoMeta',
    'presenter',
    'remoteAssets',
    'selectable',
    'monaco',
    'twoslash',
    'wakeLock',
    'record',
    'contextMenu',
    'browserExporter',
    'plantUmlServer',
    'htmlAttrs',
    'overviewSnapshots',
    'layout',
    'clicks',
  ],
  marp: [
    'marp',
    'paginate',
    'headingDivider',
    'backgroundColor',
    'backgroundImage',
    'backgroundPosition',
    'backgroundRepeat',
    'backgroundSize',
    'header',
    'footer',
    'class',
    'size',
    'math',
    'color',
    'style',
    '_class',
    '_paginate',
    '_header',
    '_footer',
    '_backgroundColor',
    '_color',
  ],
};
/** Keys only Lectern reads (`slideNumber` and `transition` are Pandoc's template's and Slidev's too). */
const lecternKeys = ['template', 'slideLevel', 'aspect', 'verticalSections', 'html', 'checks', 'reveal'];

/** Lines of the body outside fenced code, for syntax checks that must not look into code. */
function proseLines(body: string): string[] {
  const fences = new FenceTracker();
  return body.split('\n').filter((line, i) => !fences.feed(line, i));
}

interface DetectInput {
  file: string;
  /** The front matter as written (before any validation), or {} without one. */
  keys: Record<string, unknown>;
  /** The text after the front matter. */
  body: string;
  /** The whole file (a `%` title block sits where front matter would). */
  text: string;
  /** An explicit choice: `--dialect`, front matter or config `dialect:`, with where it came from. */
  chosen?: { dialect: string; from: string };
  /** A reveal-md.json found beside the deck (its path). */
  toolConfig?: string;
  /** What the project's settings say of the tool. */
  hints?: ProjectHints;
}

/** Project settings that name the tool a deck was written for. */
export interface ProjectHints {
  /** A Marp CLI config (`.marprc.yml`, `marp.config.js`…) beside the deck or in the project. */
  marpConfig?: string;
  /** Quarto's project file, `_quarto.yml`. */
  quartoProject?: string;
  /** A setting only Pandoc decks have (`slideLevel`, `sectionDivs`) in lectern.config.yaml. */
  pandocSetting?: { file: string; key: string };
}

/** Slidev's per-slide front matter: a `---` line, then one of Slidev's slide keys. */
const SLIDEV_SLIDE_KEY =
  /^(layout|class|background|image|transition|hide|disabled|src|clicks|level|hideInToc|routeAlias|zoom|preload|dragPos|backgroundSize|url):/;
const SLIDEV_SYNTAX = /<v-clicks?|<v-after|v-click|^::(right|left|default|bottom)::\s*$|^\[click(:\d+)?\]/;

export function detectDialect(input: DetectInput): DialectChoice {
  const qmd = /\.qmd$/i.test(input.file);
  const format = input.keys.format;
  const quartoFormat =
    (typeof format === 'string' && /revealjs/.test(format)) ||
    (format !== null && typeof format === 'object' && 'revealjs' in (format as object));
  const quarto = qmd || quartoFormat;
  if (input.chosen) {
    const name = input.chosen.dialect === 'quarto' ? 'pandoc' : (input.chosen.dialect as Dialect);
    return {
      dialect: name,
      quarto: quarto || input.chosen.dialect === 'quarto',
      reason: `${input.chosen.from} says \`dialect: ${input.chosen.dialect}\``,
    };
  }
  if (qmd) return { dialect: 'pandoc', quarto: true, reason: 'a .qmd file is Quarto' };
  if (input.keys.marp === true) return { dialect: 'marp', quarto: false, reason: 'front matter has `marp: true`' };
  if (input.toolConfig)
    return { dialect: 'reveal-md', quarto: false, reason: `${input.toolConfig} is reveal-md's config` };
  if (input.hints?.marpConfig && input.keys.marp !== false)
    return { dialect: 'marp', quarto: false, reason: `${input.hints.marpConfig} is Marp CLI's config` };
  if (input.hints?.quartoProject)
    return { dialect: 'pandoc', quarto: true, reason: `${input.hints.quartoProject} is a Quarto project` };

  const keys = Object.keys(input.keys);
  const lectern = keys.filter((k) => lecternKeys.includes(k) && !(k === 'theme'));
  if (input.keys.theme !== undefined && typeof input.keys.theme === 'object') lectern.push('theme');
  const slidevOwn = keys.filter((k) => keysOf.slidev.includes(k));
  // `transition` and `theme` are Slidev's headmatter keys too.
  if (slidevOwn.length > 0 && lectern.every((k) => k === 'transition' || k === 'theme'))
    return {
      dialect: 'slidev',
      quarto: false,
      reason: keysReason(slidevOwn, 'Slidev reads'),
    };
  if (input.keys.headingDivider !== undefined && lectern.length === 0)
    return { dialect: 'marp', quarto: false, reason: 'front matter has `headingDivider`, which Marp reads' };
  for (const dialect of ['reveal-md', 'marp', 'pandoc'] as const) {
    const own = keys.filter((k) => keysOf[dialect].includes(k));
    if (own.length > 0 && lectern.length === 0) {
      return {
        dialect,
        quarto: dialect === 'pandoc' && quarto,
        reason: keysReason(own, `${dialect === 'pandoc' ? (quarto ? 'Quarto' : 'Pandoc') : dialect} reads`),
      };
    }
  }
  if (lectern.length > 0)
    return {
      dialect: 'lectern',
      quarto: false,
      reason: keysReason(lectern, 'only Lectern reads'),
    };
  if (Array.isArray(input.keys.author) && input.keys.author.some((a) => a !== null && typeof a === 'object')) {
    return {
      dialect: 'pandoc',
      quarto,
      reason: 'front matter lists authors with affiliations, as Pandoc and Quarto do',
    };
  }

  if (input.hints?.pandocSetting)
    return {
      dialect: 'pandoc',
      quarto,
      reason: `${input.hints.pandocSetting.file} sets \`${input.hints.pandocSetting.key}\`: slides are headings, as Pandoc makes them`,
    };
  if (/^%[ \t]/.test(input.text))
    return { dialect: 'pandoc', quarto: false, reason: 'the file opens with a `%` title block' };
  const lines = proseLines(input.body);
  const has = (re: RegExp) => lines.findIndex((line) => re.test(line));
  if (has(/^<!--\s*(layout:|column\s*-->|check-ignore:)/i) !== -1)
    return {
      dialect: 'lectern',
      quarto: false,
      reason: 'the slides use Lectern directives (`<!-- layout: -->`, `<!-- column -->`)',
    };
  const slideFront = lines.findIndex((line, i) => /^---\s*$/.test(line) && SLIDEV_SLIDE_KEY.test(lines[i + 1] ?? ''));
  if (slideFront !== -1 || has(SLIDEV_SYNTAX) !== -1)
    return {
      dialect: 'slidev',
      quarto: false,
      reason:
        slideFront !== -1
          ? 'slides carry their own front matter (`---` then `layout:`…), as Slidev reads it'
          : 'the slides use Slidev syntax (`<v-click>`, `::right::`, `[click]`)',
    };
  if (
    has(/^<!--\s*_?(class|paginate|header|footer|backgroundColor|backgroundImage|color|headingDivider)\s*:/) !== -1 ||
    has(/!\[[^\]\n]{0,200}?\bbg\b[^\]\n]{0,200}\]\(/) !== -1
  ) {
    return { dialect: 'marp', quarto: false, reason: 'the slides use Marp directives or `![bg]` images' };
  }
  if (has(/^:{3,}\s*(\{|[A-Za-z])/) !== -1)
    return { dialect: 'pandoc', quarto, reason: 'the slides use `:::` fenced divs' };
  if (has(/^\. \. \.\s*$/) !== -1) return { dialect: 'pandoc', quarto, reason: 'the slides use `. . .` pauses' };
  if (lines.some(hasHeadingAttributes))
    return { dialect: 'pandoc', quarto, reason: 'headings carry `{#id .class}` attributes' };
  const setext = lines.findIndex((line, i) => /^={3,}\s*$/.test(line) && i > 0 && lines[i - 1]!.trim() !== '');
  if (setext !== -1) return { dialect: 'pandoc', quarto, reason: 'headings are underlined with `===`' };
  const separators = lines.filter((line) => /^---\s*$/.test(line)).length;
  const headings = lines.filter((line) => /^#{1,2}\s/.test(line)).length;
  // `---` lines are the deck's structure when they separate a good share of its slides; an odd
  // one in a deck of headings is Lectern's (or Pandoc's) own break between two slides.
  if (separators > 0 && separators * 3 > headings) {
    // Marp's speaker notes are plain comments; reveal-md's are `Note:` lines, and only reveal-md
    // (and Lectern) stack slides with `----`.
    const vertical = lines.some((line) => /^----\s*$/.test(line));
    if (!vertical && has(/^notes?:/i) === -1 && /(^|\/)slides\.md$/i.test(input.file))
      return { dialect: 'slidev', quarto: false, reason: 'slides.md split by `---` lines is a Slidev deck' };
    if (!vertical && has(/^notes?:/i) === -1 && lines.some(isProseComment)) {
      return {
        dialect: 'marp',
        quarto: false,
        reason: `slides are split by \`---\` and carry their notes in HTML comments, as Marp's do`,
      };
    }
    return {
      dialect: 'reveal-md',
      quarto: false,
      reason: `slides are split by ${separators} \`---\` line${separators === 1 ? '' : 's'}`,
    };
  }
  // Headings whose slides sit at another level than Lectern's 2 are read as Pandoc infers them.
  const anyHeading = lines.some((line) => /^#{1,6}\s/.test(line));
  // Headings as any Markdown reads them: a Lectern deck need not put blank lines before them.
  const bodyLines = input.body.split('\n');
  const level = anyHeading ? inferSlideLevel(bodyLines, undefined, false) : 2;
  if (level !== 2)
    return { dialect: 'pandoc', quarto, reason: `its slides are its level-${level} headings, as Pandoc reads them` };
  return { dialect: 'lectern', quarto: false, reason: 'nothing in the file belongs to another tool' };
}

/** A one-line HTML comment in words (a Marp presenter note), not a directive such as `key: value`. */
function isProseComment(line: string): boolean {
  const text = line.trim();
  if (!text.startsWith('<!--') || !text.endsWith('-->')) return false;
  const inner = text.slice(4, -3).trim();
  return !/^[.\w-]+\s*:/.test(inner) && /[A-Za-z\u00C0-\uFFFF]{3}/.test(inner);
}

/** `## Title {#id .class}`: checked from the end of the line, in one pass. */
function hasHeadingAttributes(line: string): boolean {
  if (!/^#{1,6}\s/.test(line)) return false;
  const text = line.trimEnd();
  if (!text.endsWith('}')) return false;
  const open = text.lastIndexOf('{');
  return open > 0 && /[#.]/.test(text[open + 1] ?? '') && !text.slice(open + 1, -1).includes('}');
}

/** "front matter has `a`, `b`, which X reads": at most three keys are named. */
function keysReason(keys: string[], reader: string): string {
  return `front matter has ${keys
    .slice(0, 3)
    .map((k) => `\`${k}\``)
    .join(', ')}, which ${reader}`;
}
