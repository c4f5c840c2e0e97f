import Handlebars from 'handlebars';
import { DeckError, type SourcePos } from '../errors.js';
import type { Deck, Slide } from '../model/types.js';
import { compileTemplate as compilePage, type HelperSpec } from './handlebars-env.js';
import type { Template } from './load-template.js';
import { themeCss } from './theme.js';

/** Where the built deck finds Lectern's own files, relative to its index.html. */
export const runtimeDir = '_lectern';
export const runtimePaths = {
  revealCss: `${runtimeDir}/reveal/reveal.css`,
  revealJs: `${runtimeDir}/reveal/reveal.js`,
  notesJs: `${runtimeDir}/reveal/plugin/notes.js`,
} as const;

/** The output folder of each template's assets, base template first. */
export function layerAssetDirs(template: Template): string[] {
  const used = new Set<string>();
  return template.chain.map((layer, i) => {
    const name = used.has(layer.name) ? `${layer.name}-${i}` : layer.name;
    used.add(name);
    return `${runtimeDir}/templates/${name}`;
  });
}

/** A template compiled in its own Handlebars environment, ready to render decks. */
export interface CompiledTemplate {
  template: Template;
  layoutNames: string[];
  render: (deck: Deck) => string;
}

export function compileTemplate(template: Template): CompiledTemplate {
  const dirs = layerAssetDirs(template);
  const page = compilePage(template, templateHelpers(template, dirs));
  return {
    template,
    layoutNames: page.layoutNames,
    render: (deck) => page.render(templateContext(deck, template)),
  };
}

function helperError(at: () => SourcePos, message: string, hint: string): DeckError {
  return new DeckError('TEMPLATE_HELPER_ARGS', message, { pos: at(), hint });
}

/** The helpers every template has. Each checks its arguments and says where it was misused. */
function templateHelpers(template: Template, dirs: string[]): Record<string, HelperSpec> {
  return {
    attrs: {
      args: 1,
      fn: (at, value) => {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          throw helperError(at, `helper "attrs" takes an object of attributes, given ${describe(value)}`, 'pass sectionAttributes or another map, as in {{attrs sectionAttributes}}');
        }
        const parts = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null && v !== false)
          .map(([k, v]) => (v === true || v === '' ? Handlebars.escapeExpression(k) : `${Handlebars.escapeExpression(k)}="${Handlebars.escapeExpression(String(v))}"`));
        return new Handlebars.SafeString(parts.join(' '));
      },
    },
    layoutPartial: {
      args: 1,
      fn: (at, layout) => {
        if (typeof layout !== 'string' || !template.layouts[layout]) {
          throw helperError(at, `helper "layoutPartial" needs a layout name this template has, given ${describe(layout)}`, `layouts: ${Object.keys(template.layouts).sort().join(', ')}`);
        }
        return `layouts/${layout}`;
      },
    },
    eq: { args: 2, fn: (_at, a, b) => a === b },
    json: { args: 1, fn: (_at, value) => new Handlebars.SafeString(scriptJson(value)) },
    asset: {
      args: 1,
      fn: (at, path) => {
        if (typeof path !== 'string') throw helperError(at, `helper "asset" takes a file path, given ${describe(path)}`, 'as in {{asset "images/logo.svg"}}');
        for (let i = template.chain.length - 1; i >= 0; i--) {
          if (template.chain[i]!.assets.includes(path)) return `${dirs[i]}/${path}`;
        }
        throw helperError(at, `asset "${path}" is in no assets/ folder of template "${template.name}"`, `looked in ${template.chain.map((l) => `${l.dir}/assets`).join(', ')}`);
      },
    },
  };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `"${value}"` : `a ${typeof value}`;
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

/** What a template sees: the deck model plus view fields derived from it. Documented in docs/templates.md. */
export function templateContext(deck: Deck, template: Template): Record<string, unknown> {
  const dirs = layerAssetDirs(template);
  const values = deck.options.theme ?? {};
  let number = 0;
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
      slides: stack.slides.map((slide) => slideView(slide, number++)),
    })),
    paths: {
      ...runtimePaths,
      template: dirs[dirs.length - 1],
      styles: [...template.chain.flatMap((layer, i) => (layer.assets.includes('theme.css') ? [`${dirs[i]}/theme.css`] : [])), ...(deck.stylesheets ?? [])],
    },
    theme: {
      ...values,
      css: themeCss(values, template.theme),
    },
    template: { name: template.name },
    reveal: revealConfig(deck),
  };
}

function slideView(slide: Slide, index: number): Record<string, unknown> {
  const extraClass = slide.attributes.class ? ` ${slide.attributes.class}` : '';
  return {
    ...slide,
    number: index + 1,
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
