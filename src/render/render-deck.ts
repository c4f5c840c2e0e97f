import Handlebars from 'handlebars';
import { DeckError } from '../errors.js';
import type { Deck, Slide } from '../model/types.js';
import type { Template, TemplateSource } from './template.js';

/** Where the built deck finds Lectern's own files, relative to its index.html. */
export const runtimeDir = '_lectern';
export const runtimePaths = {
  revealCss: `${runtimeDir}/reveal/reveal.css`,
  revealJs: `${runtimeDir}/reveal/reveal.js`,
  notesJs: `${runtimeDir}/reveal/plugin/notes.js`,
  template: `${runtimeDir}/template`,
} as const;

/** A template compiled in its own Handlebars environment, ready to render decks. */
export interface CompiledTemplate {
  template: Template;
  layoutNames: string[];
  render: (deck: Deck) => string;
}

/**
 * Compiles a template in an isolated `Handlebars.create()` environment. Slide content is only
 * ever passed in as data, so `{{ }}` in a deck shows literally; prototype access stays off.
 */
export function compileTemplate(template: Template): CompiledTemplate {
  const hb = Handlebars.create();
  registerHelpers(hb);
  for (const [name, src] of Object.entries(template.partials)) hb.registerPartial(name, compileSource(hb, src));
  for (const [name, src] of Object.entries(template.layouts)) hb.registerPartial(`layouts/${name}`, compileSource(hb, src));
  const page = compileSource(hb, template.page);
  const layoutNames = Object.keys(template.layouts).sort();

  return {
    template,
    layoutNames,
    render(deck) {
      try {
        return page(templateContext(deck), { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      } catch (err) {
        if (err instanceof DeckError) throw err;
        throw new DeckError('TEMPLATE_RENDER', `template "${template.name}" failed: ${(err as Error).message}`, {
          pos: { file: template.page.file },
          hint: 'check the partial and helper names used by the template',
          cause: err,
        });
      }
    },
  };
}

function compileSource(hb: typeof Handlebars, src: TemplateSource): Handlebars.TemplateDelegate {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(src.source);
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number };
    const line = e.lineNumber ?? Number(/on line (\d+)/.exec(e.message)?.[1] ?? NaN);
    throw new DeckError('TEMPLATE_SYNTAX', e.message.split('\n')[0]!.replace(/:$/, '') + describeParseError(e.message), {
      pos: { file: src.file, ...(Number.isFinite(line) ? { line } : {}), ...(e.column !== undefined ? { column: e.column + 1 } : {}) },
      hint: 'check that every {{#block}} has its {{/block}} and every {{ has its }}',
      cause: err,
    });
  }
  return hb.compile(ast, { strict: false, preventIndent: true, knownHelpersOnly: false });
}

function describeParseError(message: string): string {
  const expecting = /Expecting (.*), got '([^']*)'/.exec(message);
  return expecting ? ` (got ${expecting[2]}, expected ${expecting[1]})` : '';
}

function registerHelpers(hb: typeof Handlebars): void {
  /** Writes an object as HTML attributes, escaped. */
  hb.registerHelper('attrs', (value: unknown) => {
    if (!value || typeof value !== 'object') return '';
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null && v !== false)
      .map(([k, v]) => (v === true || v === '' ? hb.escapeExpression(k) : `${hb.escapeExpression(k)}="${hb.escapeExpression(String(v))}"`));
    return new hb.SafeString(parts.join(' '));
  });
  /** The partial name of a slide layout, for `{{> (layoutPartial layout)}}`. */
  hb.registerHelper('layoutPartial', (layout: unknown) => `layouts/${String(layout)}`);
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** Writes a value as JSON that is safe inside a <script> element. */
  hb.registerHelper('json', (value: unknown) => new hb.SafeString(scriptJson(value)));
}

export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The Reveal.js configuration a deck starts with. */
export function revealConfig(deck: Deck): Record<string, unknown> {
  return {
    width: deck.width,
    height: deck.height,
    margin: 0.04,
    // Layouts place their own content (title and section slides centre themselves), so the
    // screen and the printed page show the same thing.
    center: false,
    hash: true,
    transition: deck.options.transition,
    slideNumber: deck.options.slideNumber,
    ...deck.options.reveal,
  };
}

/** What a template sees: the deck model, plus view fields derived from it. Documented in docs/templates.md. */
export function templateContext(deck: Deck): Record<string, unknown> {
  let index = 0;
  return {
    deck: {
      name: deck.name,
      meta: deck.meta,
      width: deck.width,
      height: deck.height,
      aspect: deck.options.aspect,
      slideCount: deck.slideCount,
    },
    stacks: deck.stacks.map((stack) => ({
      vertical: stack.slides.length > 1,
      slides: stack.slides.map((slide) => slideView(slide, index++)),
    })),
    paths: runtimePaths,
    reveal: revealConfig(deck),
  };
}

function slideView(slide: Slide, index: number): Record<string, unknown> {
  const extraClass = slide.attributes.class ? ` ${slide.attributes.class}` : '';
  return {
    ...slide,
    sectionAttributes: {
      ...slide.attributes,
      class: `layout-${slide.layout}${extraClass}`,
      'data-layout': slide.layout,
      'data-source-line': slide.pos.line,
      // Reading-order index and Reveal indices: PDF export maps pages and links with them.
      'data-lectern-slide': index,
      'data-h': slide.h,
      'data-v': slide.v,
    },
  };
}
