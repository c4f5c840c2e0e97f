import { runtimePaths } from '../deck-layout.js';
import { DeckError, DeckErrors, type SourcePos } from '../errors.js';
import type { DeckMeta, Slide } from '../model/types.js';
import { didYouMean } from '../suggest.js';
import type { Template, TemplateSource } from './load-template.js';

/**
 * The fields a template can read, as Lectern renders it: the page sees the deck (docs/templates.md,
 * "The context"), each layout and the slide partials one slide. A field that is not there would
 * render as nothing, silently; it is an error at its line and column instead, every one of a
 * file's in one run.
 */

type Shape =
  | { kind: 'object'; fields: Record<string, Shape> }
  | { kind: 'array'; of: Shape }
  /** A text, a number, a flag: nothing below it. */
  | { kind: 'value' }
  /** Anything: Reveal.js's options, a slide's attributes. Not checked below. */
  | { kind: 'any' };

const value: Shape = { kind: 'value' };
const any: Shape = { kind: 'any' };
const object = (fields: Record<string, Shape>): Shape => ({ kind: 'object', fields });
const list = (of: Shape): Shape => ({ kind: 'array', of });
const values = (names: readonly string[]): Record<string, Shape> => Object.fromEntries(names.map((n) => [n, value]));

// Every field of the model's slide: the compiler fails when one is added and not listed here.
const slideModel: Record<keyof Slide, Shape> = {
  h: value,
  v: value,
  layout: value,
  layoutChosen: value,
  title: value,
  titleText: value,
  body: value,
  columns: list(value),
  columnWidths: list(value),
  notes: value,
  footnotes: value,
  fragments: value,
  attributes: any,
  checksOff: list(value),
  chrome: object(values(['header', 'footer', 'paginate'])),
  pos: any,
};
const metaFields: Record<keyof DeckMeta, Shape> = values([
  'title',
  'subtitle',
  'author',
  'institute',
  'date',
  'lang',
]) as Record<keyof DeckMeta, Shape>;

/** One slide as a layout sees it (the model's slide, its number, its section's attributes). */
const slideShape = object({ ...slideModel, number: value, sectionAttributes: any });

/** The page's context: the deck, its stacks of slides, paths, theme values, the template, Reveal's options. */
function rootShape(template: Template): Shape {
  return object({
    deck: object({
      ...values(['name', 'width', 'height', 'aspect', 'slideCount', 'rtl']),
      meta: object(metaFields),
    }),
    stacks: list(object({ vertical: value, slides: list(slideShape) })),
    paths: object({ ...values([...Object.keys(runtimePaths), 'template']), styles: list(value), scripts: list(value) }),
    theme: object(values([...Object.keys(template.theme), 'css'])),
    template: object({ name: value, logo: object(values(['src', 'onDark', 'onLight'])) }),
    reveal: any,
  });
}

/** Which context a template file is rendered with. */
export type FileKind = 'page' | 'layout' | 'partial';

/** Where a name is read, the shapes of the blocks around it, innermost last. */
interface Scope {
  shapes: Shape[];
}

const blockHelpersKeepingScope = new Set(['if', 'unless']);

/**
 * Checks every field a template file reads against what its context has. A partial may be
 * included by the page or by a slide: a field of either is accepted there. `helpers` are names
 * that are not fields.
 */
export function checkFields(
  program: hbs.AST.Program,
  src: TemplateSource,
  kind: FileKind,
  template: Template,
  helpers: Set<string>,
): void {
  const root = rootShape(template);
  // Every unknown field of the file, in one run.
  const problems: DeckError[] = [];
  const starts: Shape[] = kind === 'page' ? [root] : kind === 'layout' ? [slideShape] : [root, slideShape];
  const at = (node: hbs.AST.Node): SourcePos => ({
    file: src.file,
    line: node.loc.start.line,
    column: node.loc.start.column + 1,
  });

  /** The shape a path names in a scope, or a reason it names nothing. */
  const resolve = (
    path: hbs.AST.PathExpression,
    scope: Scope,
  ): Shape | { missing: string; within: Shape; depth: number } => {
    let shape: Shape | undefined;
    let parts = path.parts;
    if (path.data) {
      // @index, @key, @first, @last and @partial-block are Handlebars' own; @root is the page's context.
      if (parts[0] !== 'root') return any;
      shape = root;
      parts = parts.slice(1);
    } else {
      shape = scope.shapes[scope.shapes.length - 1 - path.depth];
      if (!shape) return any;
    }
    for (const [depth, part] of parts.entries()) {
      if (shape.kind === 'any' || shape.kind === 'value') return shape.kind === 'any' ? any : value;
      if (shape.kind === 'array') {
        if (part === 'length' || /^\d+$/.test(part)) {
          shape = part === 'length' ? value : shape.of;
          continue;
        }
        return { missing: part, within: shape, depth };
      }
      const next: Shape | undefined = Object.hasOwn(shape.fields, part) ? shape.fields[part] : undefined;
      if (!next) return { missing: part, within: shape, depth };
      shape = next;
    }
    return shape;
  };

  const check = (expr: hbs.AST.Node, scopes: Scope[]): Shape => {
    if (expr.type === 'SubExpression') {
      const n = expr as hbs.AST.SubExpression;
      checkArgs(n, scopes);
      return any;
    }
    if (expr.type !== 'PathExpression') return value;
    const path = expr as hbs.AST.PathExpression;
    // A partial is read where its includer's context is: a field of any of them will do.
    let found: Shape | undefined;
    let failure: { missing: string; within: Shape; depth: number } | undefined;
    for (const scope of scopes) {
      const got = resolve(path, scope);
      // The context that knows most of the path names the part that is wrong: a typo under
      // `chrome.` is the typo's, not `chrome`'s (which only the slide has).
      if ('missing' in got) {
        if (!failure || got.depth > failure.depth) failure = got;
      } else found ??= got;
    }
    if (found) return found;
    const { missing, within } = failure!;
    const names = within.kind === 'object' ? Object.keys(within.fields).sort() : [];
    const whole = path.original;
    const slideSide = kind !== 'page' && !path.data && path.depth === 0;
    const rootHas = slideSide && !('missing' in resolve(path, { shapes: [root] }));
    found = any;
    problems.push(
      new DeckError(
        'TEMPLATE_FIELD_UNKNOWN',
        `unknown field "${missing}" in {{${whole}}}${didYouMean(missing, names)}: it would render as nothing`,
        {
          pos: at(expr),
          hint: rootHas
            ? `a ${kind === 'layout' ? 'layout' : 'slide partial'} sees one slide; the deck's fields are under @root: {{@root.${whole}}}`
            : names.length
              ? `fields here: ${names.join(', ')} (docs/templates.md, "The context")`
              : 'see "The context" in docs/templates.md',
        },
      ),
    );
    return found;
  };

  /** A call's arguments, each a field or a value; the shapes of the arguments. */
  const checkArgs = (n: { params: hbs.AST.Expression[]; hash?: hbs.AST.Hash }, scopes: Scope[]): Shape[] => {
    const shapes: Shape[] = [];
    for (const p of n.params) shapes.push(check(p, scopes));
    for (const pair of n.hash?.pairs ?? []) check(pair.value, scopes);
    return shapes;
  };

  const visit = (node: hbs.AST.Node | null | undefined, scopes: Scope[]): void => {
    if (!node) return;
    switch (node.type) {
      case 'Program':
        for (const statement of (node as hbs.AST.Program).body) visit(statement, scopes);
        break;
      case 'MustacheStatement': {
        const n = node as hbs.AST.MustacheStatement;
        const name = n.path.type === 'PathExpression' ? (n.path as hbs.AST.PathExpression).original : '';
        const call = n.params.length > 0 || (n.hash?.pairs.length ?? 0) > 0 || helpers.has(name);
        if (!call) check(n.path, scopes);
        checkArgs(n, scopes);
        break;
      }
      case 'BlockStatement': {
        const n = node as hbs.AST.BlockStatement;
        const name = n.path.type === 'PathExpression' ? (n.path as hbs.AST.PathExpression).original : '';
        const params = checkArgs(n, scopes);
        // The block's body reads the element of `each`, the value of `with`; other helpers' bodies
        // are not known and are not checked.
        let inner: Scope[];
        if (blockHelpersKeepingScope.has(name)) inner = scopes;
        else if (name === 'each' || name === 'with') {
          const shape = params[0] ?? any;
          const element = name === 'each' ? (shape.kind === 'array' ? shape.of : any) : shape;
          inner = scopes.map((s) => ({ shapes: [...s.shapes, element] }));
        } else if (!helpers.has(name) && n.params.length === 0) {
          // `{{#field}}…{{/field}}`: Handlebars reads the field's value as the block's context.
          const shape = check(n.path, scopes);
          inner = scopes.map((s) => ({ shapes: [...s.shapes, shape.kind === 'array' ? shape.of : shape] }));
        } else inner = scopes.map((s) => ({ shapes: [...s.shapes, any] }));
        visit(n.program, inner);
        visit(n.inverse, scopes);
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const n = node as hbs.AST.PartialStatement;
        checkArgs(n, scopes);
        if (node.type === 'PartialBlockStatement') visit((node as hbs.AST.PartialBlockStatement).program, scopes);
        break;
      }
      default:
        break;
    }
  };
  visit(
    program,
    starts.map((s) => ({ shapes: [s] })),
  );
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new DeckErrors(problems);
}
