import { mergeDeckOptions, type DeckLayer, type DeckOptions } from '../config/schema.js';
import type { ToolConfig } from '../config/tool-config.js';
import type { ProjectHints } from '../outline/dialects/detect.js';
import type { LoadImport } from '../outline/dialects/slidev.js';
import { lexOutline, parseOutline, type Outline } from '../outline/parse-outline.js';
import { buildModel, type ModelInput } from './build-model.js';
import { append, type Finding } from '../errors.js';
import type { Deck } from './types.js';

/**
 * Deck text to outline and options, and outline to model: the pure stages every command runs,
 * in one place so the build, the preview, the check and the tests read a deck the same way.
 */
export function readOutline(
  text: string,
  file: string,
  configLayer: DeckLayer,
  flags: DeckLayer,
  toolConfig?: ToolConfig,
  project: { load?: LoadImport; hints?: ProjectHints } = {},
): { outline: Outline; options: DeckOptions } {
  const outline = parseOutline(text, file, {
    ...(flags.dialect ? { flag: flags.dialect } : {}),
    ...(configLayer.dialect ? { config: configLayer.dialect } : {}),
    ...(toolConfig ? { toolConfig } : {}),
    ...(project.load ? { load: project.load } : {}),
    ...(project.hints ? { projectHints: project.hints } : {}),
  });
  const options = mergeDeckOptions(configLayer, outline.toolLayer, outline.frontMatter, flags);
  options.dialect = outline.dialect.quarto && outline.dialect.dialect === 'pandoc' ? 'quarto' : outline.dialect.dialect;
  return { outline, options };
}

/** Whether `title:` makes a title slide in the deck's dialect, unless `titleSlide` says. */
function titleSlideFor(outline: Outline, options: DeckOptions): boolean {
  if (options.titleSlide !== undefined) return options.titleSlide;
  return outline.dialect.dialect === 'lectern' || outline.dialect.dialect === 'pandoc';
}

export function deckFrom(
  outline: Outline,
  options: DeckOptions,
  name: string,
  layouts: readonly string[],
  configLayer: DeckLayer = {},
  flags: DeckLayer = {},
  media?: ModelInput['media'],
  diagrams?: ModelInput['diagrams'],
): Deck {
  const slideLevel = flags.slideLevel ?? outline.frontMatter.slideLevel ?? configLayer.slideLevel;
  const split = lexOutline(outline, options, slideLevel);
  const deck = buildModel({
    name,
    file: outline.file,
    options,
    slides: split.slides,
    layouts,
    titleSlide: titleSlideFor(outline, options),
    ...(media ? { media } : {}),
    ...(diagrams ? { diagrams } : {}),
  });
  deck.dialect = outline.dialect;
  deck.warnings = append(
    append(append([...outline.warnings], split.warnings), suspiciousNotes(split.slides, outline.file)),
    deck.warnings,
  );
  return deck;
}

/**
 * Notes that hold what looks like another slide — a heading, or a line of separator marks such as
 * `|||` or `<!--v-->` — usually mean a separator the deck's old tool knew is missing here, and the
 * slides after it were swallowed into the notes.
 */
function suspiciousNotes(
  slides: { notes?: { text: string; line: number; lineMap?: number[] }[] }[],
  file: string,
): Finding[] {
  const warnings: Finding[] = [];
  for (const slide of slides) {
    for (const segment of slide.notes ?? []) {
      let fence = false;
      const lines = segment.text.split('\n');
      const at = lines.findIndex((line) => {
        if (/^ {0,3}(`{3,}|~{3,})/.test(line)) fence = !fence;
        return (
          !fence &&
          (/^ {0,3}#{1,6}\s+\S/.test(line) ||
            /^\s*(\|{3,}|-{3,}|\*{3,}|_{3,}|={3,}|<!--\s*[a-z]{1,3}\s*-->)\s*$/i.test(line))
        );
      });
      if (at === -1) continue;
      warnings.push({
        code: 'NOTES_SUSPICIOUS',
        message: `the speaker notes hold what looks like another slide: "${lines[at]!.trim().slice(0, 40)}"`,
        pos: { file, line: segment.lineMap?.[at] ?? segment.line + at, column: 1 },
        hint: 'a slide separator may be missing: set `separator` / `verticalSeparator` (reveal-md) to the ones your deck uses, or end the notes before it',
      });
    }
  }
  return warnings;
}
