import { deckLayerSchema, type DeckLayer, type DeckOptions } from '../config/schema.js';
import type { ToolConfig } from '../config/tool-config.js';
import { type DroppedOption, readYamlData, validateLayerLenient, type YamlData } from '../config/yaml-layer.js';
import type { DeckError, SourcePos, Finding } from '../errors.js';
import { detectDialect, type DialectChoice, type ProjectHints } from './dialects/detect.js';
import { mapForeignKeys, type DialectKeys } from './dialects/foreign-keys.js';
import { looseYaml, splitMarp } from './dialects/marp.js';
import { splitPandoc } from './dialects/pandoc.js';
import { readTitleBlock } from './dialects/pandoc-structure.js';
import { splitRevealMd } from './dialects/reveal-md.js';
import { type LoadImport, splitSlidev } from './dialects/slidev.js';
import { toolReading } from './dialects/tool-keys.js';
import { splitFrontMatter } from './front-matter.js';
import { lexSegment, type LinedToken } from './lex.js';
import { type Segment, splitSlides, type RawSlide } from './split.js';

/** A deck file after its front matter is read: options plus the Markdown body. */
export interface Outline {
  file: string;
  frontMatter: DeckLayer;
  /** Where a front-matter key was written (line 1 when there is no front matter). */
  locate: (path: (string | number)[]) => SourcePos;
  /** Where a front-matter value was written (an item of a list, say). */
  locateValue: (path: (string | number)[]) => SourcePos;
  body: string;
  bodyLine: number;
  hasFrontMatter: boolean;
  /** The tool whose rules the deck is read by, and why. */
  dialect: DialectChoice;
  /** Front-matter keys the dialect reads itself (Marp's directives). */
  dialectKeys: DialectKeys;
  /** Other tools' keys that were dropped, and the like. */
  warnings: Finding[];
  /** Options from reveal-md.json, merged below the front matter. */
  toolLayer: DeckLayer;
  /** Problems with the front matter: the deck is read without the keys they concern. */
  errors: DeckError[];
  /** Reads the other Markdown files a deck brings in (Slidev's `src:`). */
  load?: LoadImport;
}

/** A raw slide with its columns and notes lexed into tokens that know their lines. */
export interface OutlineSlide extends RawSlide {
  columnTokens: LinedToken[][];
  noteTokens?: LinedToken[];
  /** A `Time: 2m` line of the notes (taken out of them): how long the speaker means to spend on the slide. */
  timing?: { value: string; line: number; column: number };
}

/** Where an explicit dialect may come from besides the front matter. */
interface DialectOverrides {
  /** `--dialect` */
  flag?: string;
  /** `dialect:` in the project config. */
  config?: string;
  /** reveal-md's `reveal-md.json` beside the deck (or in the project). */
  toolConfig?: ToolConfig;
  /** Reads the other Markdown files a deck brings in. */
  load?: LoadImport;
  /** Project settings that name a tool (`.marprc.yml`, `_quarto.yml`, `lectern.config.yaml`'s `slideLevel`). */
  projectHints?: ProjectHints;
}

/** What reveal-md.json may set, once mapped: reveal-md's own settings. */
const revealMdKeys = new Set([
  'separator',
  'verticalSeparator',
  'notesSeparator',
  'reveal',
  'transition',
  'slideNumber',
  'template',
  'title',
]);

const codes = {
  syntax: 'FRONT_MATTER_SYNTAX',
  invalid: 'FRONT_MATTER_INVALID',
  unknownKey: 'FRONT_MATTER_UNKNOWN_KEY',
} as const;

/**
 * Reads front matter off decoded deck text: finds the deck's dialect, maps other tools' keys,
 * and validates the rest against the deck schema, reporting every problem at once. Pure.
 */
export function parseOutline(text: string, file: string, overrides: DialectOverrides = {}): Outline {
  const split = splitFrontMatter(text, file);
  const nowhere = { file, line: 1, column: 1 };
  // Marp's colour directives (`backgroundColor: #123`) are read as colours, not YAML comments.
  const yamlText = split.yaml === null ? null : looseYaml(split.yaml, '(?:backgroundColor|color|header|footer|class)');
  const yaml: YamlData =
    yamlText === null
      ? { data: {}, locate: () => nowhere, locateValue: () => nowhere }
      : readYamlData({ text: yamlText, file, firstLine: split.yamlLine }, codes, true);
  const written = typeof yaml.data.dialect === 'string' ? yaml.data.dialect : undefined;
  const chosen = overrides.flag
    ? { dialect: overrides.flag, from: '--dialect' }
    : written
      ? { dialect: written, from: 'the front matter' }
      : overrides.config
        ? { dialect: overrides.config, from: 'lectern.config.yaml' }
        : undefined;
  const dialect = detectDialect({
    file,
    keys: yaml.data,
    body: split.body,
    text,
    ...(chosen && ['lectern', 'reveal-md', 'pandoc', 'quarto', 'marp', 'slidev'].includes(chosen.dialect)
      ? { chosen }
      : {}),
    ...(overrides.toolConfig ? { toolConfig: overrides.toolConfig.file } : {}),
    ...(overrides.projectHints ? { hints: overrides.projectHints } : {}),
  });

  let body = split.body;
  let bodyLine = split.bodyLine;
  const data = { ...yaml.data };
  let locate = yaml.locate;
  if (dialect.dialect === 'pandoc' && split.yaml === null) {
    // Pandoc's `%` title block: title, authors and date on the first lines.
    const block = readTitleBlock(body, bodyLine, file);
    if (block) {
      Object.assign(data, block.meta);
      body = block.body;
      bodyLine = block.bodyLine;
      locate = (path) => block.locate(String(path[0])) ?? nowhere;
    }
  }
  const mapped = mapForeignKeys(data, dialect.dialect, locate, dialect.quarto);
  // A mapped option is reported where its source key was written (`revealOptions.controls`…).
  const origin = (path: (string | number)[]) =>
    path.length === 0 ? path : [...(mapped.origins.get(String(path[0])) ?? [path[0]!]), ...path.slice(1)];
  const where = {
    locate: (path: (string | number)[]) => locate(origin(path)),
    locateValue: (path: (string | number)[]) => yaml.locateValue(origin(path)),
    // Problems are named as the author wrote them (`revealOptions.controls`, not `reveal.controls`).
    name: (path: (string | number)[]) => origin(path).join('.'),
  };
  const checked = validateLayerLenient(
    { ...mapped.layer, ...(written !== undefined ? { dialect: written } : {}) },
    deckLayerSchema,
    where,
  );
  const frontMatter: DeckLayer = checked.value;
  // reveal-md.json: the same keys, one layer below the front matter (reveal-md reads it when
  // the deck is read as reveal-md).
  let toolLayer: DeckLayer = {};
  const warnings: Finding[] = [
    ...(yaml.loosened ?? []).map(
      (pos): Finding => ({
        code: 'FRONT_MATTER_LOOSE',
        message: 'this value is not valid YAML; it is read as plain text, as Marp and Slidev read it',
        pos,
        hint: 'put the value in quotes to make it valid YAML',
      }),
    ),
    ...mapped.warnings,
    ...checked.dropped.map((d) => droppedWarning(d, dialect.dialect)),
  ];
  if (overrides.toolConfig && dialect.dialect === 'reveal-md') {
    const at = { file: overrides.toolConfig.file, line: 1, column: 1 };
    const tool = mapForeignKeys(overrides.toolConfig.data, 'reveal-md', () => at);
    // reveal-md's own settings only: Lectern's (`html`, `remote`…) belong in its own config, so
    // a file left by another tool cannot, say, turn sanitising off.
    const taken = Object.fromEntries(Object.entries(tool.layer).filter(([key]) => revealMdKeys.has(key)));
    for (const key of Object.keys(tool.layer).filter((k) => !revealMdKeys.has(k))) {
      warnings.push({
        code: 'OPTION_IGNORED',
        message: `"${key}" in ${overrides.toolConfig.file} is ignored: Lectern's own options go in lectern.config.yaml or the front matter`,
        pos: at,
      });
    }
    const fromFile = validateLayerLenient(taken, deckLayerSchema, { locate: () => at, locateValue: () => at });
    toolLayer = fromFile.value;
    warnings.push(...tool.warnings, ...fromFile.dropped.map((d) => droppedWarning(d, 'reveal-md')));
  }
  return {
    file,
    frontMatter,
    locate: where.locate,
    locateValue: where.locateValue,
    body,
    bodyLine,
    hasFrontMatter: split.yaml !== null,
    dialect,
    dialectKeys: mapped.dialectKeys,
    warnings,
    toolLayer,
    errors: [],
    ...(overrides.load ? { load: overrides.load } : {}),
  };
}

/**
 * A front-matter key Lectern leaves out, as a warning: the deck still builds, as it does in the
 * tool it was written for (`--strict` makes it an error).
 */
function droppedWarning(d: DroppedOption, dialect: string): Finding {
  if (d.kind === 'invalid')
    return {
      code: 'OPTION_IGNORED',
      message: `option "${d.name}" is ignored: ${d.detail ?? 'not a value Lectern can use'}`,
      pos: d.pos,
      hint: 'see docs/outline-format.md for the options and their values',
    };
  const tool = toolReading(d.name);
  if (tool)
    return {
      code: 'OPTION_IGNORED',
      message: `"${d.name}" is ignored: ${tool} reads it, Lectern does not`,
      pos: d.pos,
      hint: 'nothing to do; `--strict` makes ignored options errors',
    };
  return {
    code: 'OPTION_IGNORED',
    message: `unknown option "${d.name}" is ignored${d.detail ? ` (did you mean "${d.detail}"?)` : ''}`,
    pos: d.pos,
    hint: d.detail
      ? `Lectern's options here: ${d.known.join(', ')}`
      : `no tool Lectern knows reads it (the deck is read as ${dialect}); your own keys may stay`,
  };
}

/** Splits the body into slides by the deck's dialect and lexes each part. Pure. */
export function lexOutline(
  outline: Outline,
  options: DeckOptions,
  explicitSlideLevel?: number,
): { slides: OutlineSlide[]; warnings: Finding[] } {
  const { file } = outline;
  let split: { slides: RawSlide[]; warnings: Finding[] };
  switch (outline.dialect.dialect) {
    case 'reveal-md':
      split = splitRevealMd(outline.body, outline.bodyLine, outline.hasFrontMatter, options, file);
      break;
    case 'pandoc':
      split = splitPandoc(outline.body, outline.bodyLine, {
        file,
        quarto: outline.dialect.quarto,
        ...(explicitSlideLevel !== undefined ? { slideLevel: explicitSlideLevel } : {}),
        incremental: options.incremental ?? false,
        sectionDivs: options.sectionDivs ?? false,
      });
      break;
    case 'marp':
      split = splitMarp(outline.body, outline.bodyLine, outline.dialectKeys, file);
      break;
    case 'slidev':
      split = splitSlidev(
        outline.body,
        outline.bodyLine,
        outline.dialectKeys,
        outline.hasFrontMatter,
        file,
        outline.load,
      );
      break;
    default:
      split = splitSlides(outline.body, outline.bodyLine, options.slideLevel, file);
  }
  const slides = split.slides.map((raw): OutlineSlide => {
    const timed = raw.notes?.length ? takeTiming(raw.notes) : undefined;
    const notes = timed?.notes ?? raw.notes;
    return {
      ...raw,
      ...(notes ? { notes } : {}),
      columnTokens: raw.columns.map((segment) => lexSegment(segment, raw.file ?? file)),
      ...(notes?.length ? { noteTokens: notes.flatMap((segment) => lexSegment(segment, raw.file ?? file)) } : {}),
      ...(timed?.timing ? { timing: timed.timing } : {}),
    };
  });
  return { slides, warnings: split.warnings };
}

// A value that starts with a digit: `Time: is short` is a note like any other.
const TIME_LINE = /^([ \t]*time:[ \t]*)(\d.*?)[ \t]*$/im;

/**
 * The first `Time: …` line of a slide's notes, and the notes without it (the line left blank, so
 * the lines after it keep their numbers).
 */
function takeTiming(segments: Segment[]): { notes: Segment[]; timing?: OutlineSlide['timing'] } {
  for (const [i, segment] of segments.entries()) {
    const m = TIME_LINE.exec(segment.text);
    if (!m) continue;
    const index = segment.text.slice(0, m.index).split('\n').length - 1;
    const line = segment.lineMap?.[index] ?? segment.line + index;
    const text = segment.text.slice(0, m.index) + segment.text.slice(m.index + m[0].length);
    const notes = segments.map((s, j) => (j === i ? { ...s, text } : s)).filter((s) => s.text.trim() !== '');
    return { notes, timing: { value: m[2]!, line, column: m[1]!.length + 1 } };
  }
  return { notes: segments };
}
