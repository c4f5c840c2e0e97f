/** Lectern's library API. */
export { buildAll, buildDeck, type BuildOptions, type BuildResult, type PdfProgress } from './pipeline/build.js';
export { exportBuiltDeck } from './pipeline/export-built.js';
export type { PreparedDeck } from './pipeline/prepare-deck.js';
export { checkAll, type CheckedDeck, type CheckOptions } from './pipeline/check.js';
export { rules as checkRules, type RuleName, type Severity } from './config/check-rules.js';
export type { PdfOptions, PdfResult } from './pdf/export.js';
export { findBrowser, type BrowserOptions, type BrowserSource } from './browser/find.js';
export { DeckError, DeckErrors, ExitCode, formatDiagnostic, type SourcePos, type Finding } from './errors.js';
export type { Deck, Slide, Stack, DeckMeta, AssetRef } from './model/types.js';
export {
  deckLayerSchema,
  projectConfigSchema,
  deckDefaults,
  mergeDeckOptions,
  type DeckOptions,
  type DeckLayer,
} from './config/schema.js';
export { parseOutline, lexOutline } from './outline/parse-outline.js';
export { buildModel } from './model/build-model.js';
export { compileTemplate } from './render/compile-template.js';
export { templateContext } from './render/context.js';
export {
  findTemplate,
  listTemplates,
  loadTemplate,
  type Template,
  type TemplateLayer,
} from './render/load-template.js';
