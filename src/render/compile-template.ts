import { templateAssetDirs } from '../deck-layout.js';
import type { Deck } from '../model/types.js';
import { templateContext, type DeckView } from './context.js';
import { compileHandlebars } from './handlebars-env.js';
import { templateHelpers } from './helpers.js';
import type { Template } from './load-template.js';

/** A template compiled in its own Handlebars environment, ready to render decks. */
export interface CompiledTemplate {
  template: Template;
  layoutNames: string[];
  /** Renders a deck; `view` carries what the build adds beside the model (the deck's stylesheets). */
  render: (deck: Deck, view?: DeckView) => string;
}

/** Compiles a template (its page, layouts and partials, with Lectern's helpers) once, for any number of decks. */
export function compileTemplate(template: Template): CompiledTemplate {
  const page = compileHandlebars(template, templateHelpers(template, templateAssetDirs(template.chain)));
  return {
    template,
    layoutNames: page.layoutNames,
    render: (deck, view) => page.render(templateContext(deck, template, view)),
  };
}
