import { createRequire } from 'node:module';
import type { Finding } from '../errors.js';

type CssTree = typeof import('css-tree');
let csstree: CssTree | undefined;

/**
 * What a browser would silently drop from a template's stylesheet, each at its line and column:
 * text that does not parse (a missing `;` or `}`), a property no browser knows, a value its
 * property does not take. Custom properties and values with `var()` are the browser's to judge,
 * as are vendor-prefixed properties. Pure, but for loading the parser on first use.
 */
export function checkTemplateCss(css: string, file: string): Finding[] {
  csstree ??= createRequire(import.meta.url)('css-tree') as CssTree;
  const tree = csstree;
  const found: Finding[] = [];
  const at = (line: number, column: number) => ({ file, line, column });
  const ast = csstree.parse(css, {
    positions: true,
    onParseError: (error) => {
      const e = error as unknown as { message: string; line: number; column: number };
      found.push({
        code: 'TEMPLATE_CSS',
        message: `this stylesheet does not parse here (${e.message.toLowerCase()}): the browser drops the rule`,
        pos: at(e.line, e.column),
        hint: 'look for a missing ";" between declarations, or a "{" or "}" too few',
      });
    },
  });
  csstree.walk(ast, {
    visit: 'Declaration',
    enter(node) {
      // An at-rule's own descriptors (@font-face's src, @page's size) are not properties.
      const context = this as unknown as { atrule: unknown; rule: unknown };
      if (context.atrule && !context.rule) return;
      if (node.property.startsWith('-') || !node.loc) return;
      const value = tree.generate(node.value);
      if (/var\(/i.test(value)) return;
      const match = tree.lexer.matchDeclaration(node);
      if (!match.error) return;
      const unknown = /Unknown property/i.test(match.error.message);
      found.push({
        code: 'TEMPLATE_CSS',
        message: unknown
          ? `"${node.property}" is not a CSS property: the browser ignores the declaration`
          : `"${node.property}: ${value}" is not a value ${node.property} takes: the browser ignores the declaration`,
        pos: at(node.loc.start.line, node.loc.start.column),
        hint: unknown
          ? 'check the spelling of the property'
          : /\w+\s*:\s*\S/.test(value)
            ? 'a ";" seems to be missing before the next property'
            : `check the value against what ${node.property} takes`,
      });
    },
  });
  // A block left open swallows the rest of the file without a word from the parser.
  const bare = css
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (s) => s.replace(/[^\n]/g, ' '));
  const open: number[] = [];
  for (let i = 0; i < bare.length; i++) {
    if (bare[i] === '{') open.push(i);
    else if (bare[i] === '}') open.pop();
  }
  // The first one left open; the rest are inside it.
  const index = open[0];
  if (index !== undefined) {
    const before = bare.slice(0, index).split('\n');
    found.push({
      code: 'TEMPLATE_CSS',
      message: 'this "{" is never closed: everything after it is read as part of its rule',
      pos: at(before.length, before.at(-1)!.length + 1),
      hint: 'close the rule with "}"',
    });
  }
  return found;
}
