import Handlebars from 'handlebars';
import { DeckError, type SourcePos } from '../errors.js';
import { scriptJson } from './context.js';
import type { HelperSpec } from './handlebars-env.js';
import type { Template } from './load-template.js';

function helperError(at: () => SourcePos, message: string, hint: string): DeckError {
  return new DeckError('TEMPLATE_HELPER_ARGS', message, { pos: at(), hint });
}

/** The helpers every template has. Each checks its arguments and says where it was misused. */
export function templateHelpers(template: Template, dirs: string[]): Record<string, HelperSpec> {
  return {
    attrs: {
      args: 1,
      fn: (at, value) => {
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          throw helperError(
            at,
            `helper "attrs" takes an object of attributes, given ${describe(value)}`,
            'pass sectionAttributes or another map, as in {{attrs sectionAttributes}}',
          );
        }
        const parts = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined && v !== null && v !== false)
          .map(([k, v]) =>
            v === true || v === ''
              ? Handlebars.escapeExpression(k)
              : `${Handlebars.escapeExpression(k)}="${Handlebars.escapeExpression(String(v))}"`,
          );
        return new Handlebars.SafeString(parts.join(' '));
      },
    },
    layoutPartial: {
      args: 1,
      fn: (at, layout) => {
        if (typeof layout !== 'string' || !template.layouts[layout]) {
          throw helperError(
            at,
            `helper "layoutPartial" needs a layout name this template has, given ${describe(layout)}`,
            `layouts: ${Object.keys(template.layouts).sort().join(', ')}`,
          );
        }
        return `layouts/${layout}`;
      },
    },
    eq: { args: 2, fn: (_at, a, b) => a === b },
    json: { args: 1, fn: (_at, value) => new Handlebars.SafeString(scriptJson(value)) },
    asset: {
      args: 1,
      fn: (at, path) => {
        if (typeof path !== 'string')
          throw helperError(
            at,
            `helper "asset" takes a file path, given ${describe(path)}`,
            'as in {{asset "images/logo.svg"}}',
          );
        for (let i = template.chain.length - 1; i >= 0; i--) {
          if (template.chain[i]!.assets.includes(path)) return `${dirs[i]}/${path}`;
        }
        throw helperError(
          at,
          `asset "${path}" is in no assets/ folder of template "${template.name}"`,
          `looked in ${template.chain.map((l) => `${l.dir}/assets`).join(', ')}`,
        );
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
