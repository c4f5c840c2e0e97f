/** Lectern's library API. */
export { buildAll, buildDeck, exportBuiltDeck, type BuildOptions, type BuildResult, type BuiltDeck, type PdfProgress } from './pipeline/build.js';
export { checkAll, type CheckedDeck, type CheckOptions } from './pipeline/check.js';
export { rules as checkRules, type RuleName, type Severity } from './config/check-rules.js';
export type { PdfOptions, PdfResult } from './pdf/export.js';
export { findBrowser, type BrowserOptions, type BrowserSource } from './browser/find.js';
export { DeckError, DeckErrors, ExitCode, formatDiagnostic, type SourcePos, type Warning } from './errors.js';
export type { Deck, Slide, Stack, DeckMeta, AssetRef } from './model/types.js';
export { deckLayerSchema, projectConfigSchema, deckDefaults, mergeDeckOptions, type DeckOptions, type DeckLayer } from './config/schema.js';
export { parseOutline, lexOutline } from './outline/parse-outline.js';
export { buildModel } from './model/build-model.js';
export { compileTemplate, templateContext } from './render/compile-template.js';
export { findTemplate, listTemplates, loadTemplate, type Template, type TemplateLayer } from './render/load-template.js';
export { runCli } from './cli/main.js';
