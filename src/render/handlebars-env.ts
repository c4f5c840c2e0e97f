import Handlebars from 'handlebars';
import { DeckError, type SourcePos } from '../errors.js';
import type { Template, TemplateSource } from './load-template.js';
import { checkFields } from './template-fields.js';

type Env = typeof Handlebars;
type Delegate = Handlebars.TemplateDelegate;

/** Lectern's helpers: name, how many arguments each takes, and what it does. */
export interface HelperSpec {
  args: number;
  fn: (at: () => SourcePos, ...args: unknown[]) => unknown;
}

/** Handlebars' own helpers that templates may use, with their argument counts (-1: any). */
const builtinHelpers: Record<string, number> = { if: 1, unless: 1, each: 1, with: 1, lookup: 2 };

/** Handlebars internals a template must not call: they are not helpers, or they write to the console. */
const forbiddenHelpers = new Set(['helperMissing', 'blockHelperMissing', 'log']);

interface CompiledPage {
  /** Renders the page; the file stack tells errors which template file was running. */
  render: (context: Record<string, unknown>) => string;
  layoutNames: string[];
}

/**
 * Compiles a template in its own `Handlebars.create()` environment and checks it before any
 * deck is rendered: syntax (with line and column), partials that do not exist, unknown
 * helpers and helpers given the wrong number of arguments, each at its file, line and column.
 * Prototype access stays off; slide content only ever arrives as data.
 */
export function compileHandlebars(template: Template, helpers: Record<string, HelperSpec>): CompiledPage {
  const hb = Handlebars.create();
  const stack: string[] = [];
  const known = new Set([
    ...Object.keys(template.partials),
    ...Object.keys(template.layouts).map((n) => `layouts/${n}`),
  ]);

  for (const [name, spec] of Object.entries(helpers)) {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as { loc?: { start: { line: number; column: number } } };
      const at = (): SourcePos => ({
        file: stack[stack.length - 1] ?? template.page.file,
        line: options.loc?.start.line,
        column: (options.loc?.start.column ?? 0) + 1,
      });
      return spec.fn(at, ...args);
    });
  }

  const references = new Map<string, PartialRef[]>();
  const helperNames = new Set([...Object.keys(helpers), ...Object.keys(builtinHelpers)]);
  const compile = (name: string, src: TemplateSource): Delegate => {
    const ast = parseSource(hb, src);
    references.set(name, checkProgram(ast, src, known, helpers, template));
    checkFields(
      ast,
      src,
      name === '(page)' ? 'page' : name.startsWith('layouts/') ? 'layout' : 'partial',
      template,
      helperNames,
    );
    const fn = hb.compile(ast, { strict: false, preventIndent: true });
    return ((context: unknown, options?: Handlebars.RuntimeOptions) => {
      // Partials chosen at run time can still call each other in a circle: stop it with the chain.
      if (stack.length > MAX_PARTIAL_DEPTH) {
        throw new DeckError(
          'TEMPLATE_PARTIAL_CYCLE',
          `partials call each other without end: ${stack.slice(-6).join(' → ')} → …`,
          {
            pos: { file: src.file },
            hint: 'a partial must not include itself, directly or through others',
          },
        );
      }
      stack.push(src.file);
      try {
        return fn(context, options);
      } catch (err) {
        // The innermost template file that failed, for the error message.
        if (err instanceof Error && !(err as { templateFile?: string }).templateFile)
          (err as { templateFile?: string }).templateFile = src.file;
        throw err;
      } finally {
        stack.pop();
      }
    }) as Delegate;
  };

  for (const [name, src] of Object.entries(template.partials)) hb.registerPartial(name, compile(name, src));
  for (const [name, src] of Object.entries(template.layouts))
    hb.registerPartial(`layouts/${name}`, compile(`layouts/${name}`, src));
  const page = compile('(page)', template.page);
  checkPartialCycles(references);

  return {
    layoutNames: Object.keys(template.layouts).sort(),
    render(context) {
      try {
        return page(context, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
      } catch (err) {
        if (err instanceof DeckError) throw err;
        const file = (err as { templateFile?: string }).templateFile ?? template.page.file;
        stack.length = 0;
        throw new DeckError('TEMPLATE_RENDER', `template "${template.name}" failed: ${(err as Error).message}`, {
          pos: { file },
          hint: 'check the partial and helper names this file uses',
          cause: err,
        });
      }
    },
  };
}

function parseSource(hb: Env, src: TemplateSource): hbs.AST.Program {
  try {
    return hb.parse(src.source);
  } catch (err) {
    const e = err as Error & { lineNumber?: number; column?: number };
    // Parse errors carry no position of their own; the lexer still holds the failing token's.
    const loc = (hb as unknown as { Parser?: { lexer?: { yylloc?: { first_line: number; first_column: number } } } })
      .Parser?.lexer?.yylloc;
    const line = e.lineNumber ?? loc?.first_line;
    const column = e.column !== undefined ? e.column + 1 : loc ? loc.first_column + 1 : undefined;
    const expecting = /Expecting (.*), got '([^']*)'/.exec(e.message);
    const first = e.message
      .split('\n')[0]!
      .replace(/:$/, '')
      .replace(/ - \d+:\d+$/, '');
    throw new DeckError(
      'TEMPLATE_SYNTAX',
      `${first}${expecting ? ` (got ${expecting[2]}, expected ${expecting[1]})` : ''}`,
      {
        pos: { file: src.file, ...(line ? { line } : {}), ...(column ? { column } : {}) },
        hint: 'check that every {{#block}} has its {{/block}} and every {{ has its }}',
        cause: err,
      },
    );
  }
}

type Node = hbs.AST.Node & { loc: hbs.AST.SourceLocation };

/** A `{{> name}}` with a fixed name, and where it is written. */
interface PartialRef {
  name: string;
  pos: SourcePos;
}

const MAX_PARTIAL_DEPTH = 64;

/** Partials that include each other in a circle would recurse until the stack runs out. */
function checkPartialCycles(references: Map<string, PartialRef[]>): void {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    state.set(name, 'open');
    for (const ref of references.get(name) ?? []) {
      if (state.get(ref.name) === 'open') {
        const chain = [...path.slice(path.indexOf(ref.name)), ref.name];
        throw new DeckError('TEMPLATE_PARTIAL_CYCLE', `partials include each other in a circle: ${chain.join(' → ')}`, {
          pos: ref.pos,
          hint: 'a partial must not include itself, directly or through others',
        });
      }
      if (!state.has(ref.name)) visit(ref.name, [...path, ref.name]);
    }
    state.set(name, 'done');
  };
  for (const name of references.keys()) if (!state.has(name)) visit(name, [name]);
}

/** Walks the parsed template for partials and helper calls that cannot work. */
function checkProgram(
  program: hbs.AST.Program,
  src: TemplateSource,
  partials: Set<string>,
  helpers: Record<string, HelperSpec>,
  template: Template,
): PartialRef[] {
  const refs: PartialRef[] = [];
  const at = (node: Node): SourcePos => ({
    file: src.file,
    line: node.loc.start.line,
    column: node.loc.start.column + 1,
  });

  const checkCall = (node: Node, path: hbs.AST.Expression, params: hbs.AST.Expression[], isBlock: boolean): void => {
    if (path.type !== 'PathExpression') return;
    const name = (path as hbs.AST.PathExpression).original;
    if (forbiddenHelpers.has(name)) {
      throw new DeckError(
        'TEMPLATE_HELPER_ARGS',
        `"${name}" is internal to Handlebars and cannot be used in a template`,
        {
          pos: at(node),
          hint: `helpers: ${[...Object.keys(helpers), ...Object.keys(builtinHelpers)].sort().join(', ')}`,
        },
      );
    }
    const hasArgs = params.length > 0 || isBlock;
    const expected = helpers[name]?.args ?? builtinHelpers[name];
    if (expected === undefined) {
      if (params.length > 0) {
        throw new DeckError('TEMPLATE_HELPER_ARGS', `unknown helper "${name}"`, {
          pos: at(node),
          hint: `helpers: ${[...Object.keys(helpers), ...Object.keys(builtinHelpers)].sort().join(', ')}`,
        });
      }
      return;
    }
    if (expected >= 0 && hasArgs && params.length !== expected) {
      throw new DeckError(
        'TEMPLATE_HELPER_ARGS',
        `helper "${name}" takes ${expected} argument${expected === 1 ? '' : 's'}, given ${params.length}`,
        {
          pos: at(node),
          hint: 'see the helpers in docs/templates.md',
        },
      );
    }
    if (expected > 0 && !hasArgs && helpers[name]) {
      throw new DeckError(
        'TEMPLATE_HELPER_ARGS',
        `helper "${name}" takes ${expected} argument${expected === 1 ? '' : 's'}, given none`,
        {
          pos: at(node),
          hint: 'see the helpers in docs/templates.md',
        },
      );
    }
  };

  const visit = (node: hbs.AST.Node | null | undefined): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        break;
      case 'MustacheStatement':
      case 'SubExpression': {
        const n = node as hbs.AST.MustacheStatement;
        checkCall(node as Node, n.path, n.params, false);
        n.params.forEach(visit);
        break;
      }
      case 'BlockStatement': {
        const n = node as hbs.AST.BlockStatement;
        checkCall(node as Node, n.path, n.params, true);
        n.params.forEach(visit);
        visit(n.program);
        visit(n.inverse);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const n = node as hbs.AST.PartialStatement;
        const nameNode = n.name as hbs.AST.Node;
        if (nameNode.type === 'PathExpression' || nameNode.type === 'StringLiteral') {
          const name =
            nameNode.type === 'PathExpression'
              ? (nameNode as hbs.AST.PathExpression).original
              : (nameNode as hbs.AST.StringLiteral).value;
          if (partials.has(name)) refs.push({ name, pos: at(node as Node) });
          if (!partials.has(name) && node.type === 'PartialStatement') {
            throw new DeckError('TEMPLATE_PARTIAL_MISSING', `partial "${name}" not found`, {
              pos: at(node as Node),
              hint: `looked in ${[...template.chain]
                .reverse()
                .map((l) => `${l.dir}/partials`)
                .join(', ')}; partials there: ${[...partials]
                .filter((p) => !p.startsWith('layouts/'))
                .sort()
                .join(', ')}`,
            });
          }
        } else {
          visit(n.name);
        }
        n.params.forEach(visit);
        if (node.type === 'PartialBlockStatement') visit((node as hbs.AST.PartialBlockStatement).program);
        break;
      }
      default:
        break;
    }
  };
  visit(program);
  return refs;
}
