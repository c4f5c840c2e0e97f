import { mergeDeckOptions, type DeckLayer, type DeckOptions } from '../config/schema.js';
import type { ToolConfig } from '../config/tool-config.js';
import { lexOutline, parseOutline, type Outline } from '../outline/parse-outline.js';
import { buildModel, type ModelInput } from './build-model.js';
import type { Deck } from './types.js';

/**
 * Deck text to outline and options, and outline to model: the pure stages every command runs,
 * in one place so the build, the preview, the check and the tests read a deck the same way.
 */
export function readOutline(text: string, file: string, configLayer: DeckLayer, flags: DeckLayer, toolConfig?: ToolConfig): { outline: Outline; options: DeckOptions } {
  const outline = parseOutline(text, file, {
    ...(flags.dialect ? { flag: flags.dialect } : {}),
    ...(configLayer.dialect ? { config: configLayer.dialect } : {}),
    ...(toolConfig ? { toolConfig } : {}),
  });
  const options = mergeDeckOptions(configLayer, outline.toolLayer, outline.frontMatter, flags);
  options.dialect = outline.dialect.quarto && outline.dialect.dialect === 'pandoc' ? 'quarto' : outline.dialect.dialect;
  return { outline, options };
}

/** Whether `title:` makes a title slide in the deck's dialect, unless `titleSlide` says. */
export function titleSlideFor(outline: Outline, options: DeckOptions): boolean {
  if (options.titleSlide !== undefined) return options.titleSlide;
  return outline.dialect.dialect === 'lectern' || outline.dialect.dialect === 'pandoc';
}

export function deckFrom(outline: Outline, options: DeckOptions, name: string, layouts: readonly string[], configLayer: DeckLayer = {}, flags: DeckLayer = {}, media?: ModelInput['media']): Deck {
  const slideLevel = flags.slideLevel ?? outline.frontMatter.slideLevel ?? configLayer.slideLevel;
  const split = lexOutline(outline, options, slideLevel);
  const deck = buildModel({ name, file: outline.file, options, slides: split.slides, layouts, titleSlide: titleSlideFor(outline, options), ...(media ? { media } : {}) });
  deck.dialect = outline.dialect;
  deck.warnings.unshift(...outline.warnings, ...split.warnings);
  return deck;
}
