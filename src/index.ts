/** Lectern's library API. */
export { buildAll, buildDeck, type BuildOptions, type BuildResult, type BuiltDeck } from './pipeline.js';
export { DeckError, DeckErrors, ExitCode, formatDiagnostic, type SourcePos, type Warning } from './errors.js';
export type { Deck, Slide, Stack, DeckMeta, AssetRef } from './model/types.js';
export { deckLayerSchema, projectConfigSchema, deckDefaults, mergeDeckOptions, type DeckOptions, type DeckLayer } from './config/schema.js';
export { parseOutline, lexOutline } from './outline/parse-outline.js';
export { buildModel } from './model/build-model.js';
export { compileTemplate, templateContext } from './render/render-deck.js';
export { loadTemplate, resolveTemplateDir } from './render/template.js';
export { runCli } from './cli/main.js';
