import { isMap, isPair, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { bySourcePosition, DeckError, DeckErrors, type ErrorCode, type SourcePos } from '../errors.js';
import { closest } from '../suggest.js';

interface YamlSource {
  /** The YAML text alone. */
  text: string;
  file: string;
  /** The file line on which `text` starts (1-based). */
  firstLine: number;
}

interface LayerCodes {
  syntax: ErrorCode;
  invalid: ErrorCode;
  unknownKey: ErrorCode;
}

/**
 * Parses YAML (core schema only: no custom tags, nothing executed) and validates it against a
 * schema. Every error points at the line and column of the offending key or value.
 */
export function parseYamlLayer<S extends z.ZodType>(src: YamlSource, schema: S, codes: LayerCodes): z.infer<S> {
  return readYamlLayer(src, schema, codes).value;
}

/** A validated layer and a way to find where any of its keys was written. */
interface LocatedLayer<T> {
  value: T;
  locate: (path: (string | number)[]) => SourcePos;
}

/** Like parseYamlLayer, and also keeps the positions of the keys for later checks. */
export function readYamlLayer<S extends z.ZodType>(
  src: YamlSource,
  schema: S,
  codes: LayerCodes,
): LocatedLayer<z.infer<S>> {
  const doc = readYamlData(src, codes);
  return { value: validateLayer(doc.data, schema, doc, codes), locate: doc.locate };
}

/** Parsed YAML before validation: a plain map, and where its keys and values were written. */
export interface YamlData {
  data: Record<string, unknown>;
  /** Lines whose value strict YAML refused, read as plain text (a loose read only). */
  loosened?: SourcePos[];
  locate: (path: (string | number)[]) => SourcePos;
  /** Where the value at `path` (or its nearest written parent) starts. */
  locateValue: (path: (string | number)[]) => SourcePos;
}

/** A `key: value` line whose value is read as text when strict YAML refuses it. */
const LOOSE_LINE = /^(\s*(?:- )?[\w$.-]+[ \t]*:[ \t]+)(\S.*?)[ \t]*$/;
/** A value already written as a quoted string, a flow collection or a block scalar. */
function quoted(line: string): boolean {
  const value = LOOSE_LINE.exec(line)?.[2] ?? '';
  return /^(["'[{|>])/.test(value) && !/^["'].*["'].+/.test(value);
}

/** The most problems of one layer reported in one run. */
const MAX_PROBLEMS = 50;

/** Parses YAML (core schema only: no custom tags, nothing executed) into a plain map. */
export function readYamlData(src: YamlSource, codes: LayerCodes, loose = false): YamlData {
  let lineCounter = new LineCounter();
  const parse = (text: string) =>
    parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core' });
  let doc = parse(src.text);
  const posAt = (offset: number): SourcePos => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: src.file, line: src.firstLine + line - 1, column: col };
  };
  let loosened: SourcePos[] = [];
  if (loose && doc.errors.length > 0) {
    const strict = { doc, lineCounter };
    // As the deck tools' own front-matter readers do: a `key: value` line whose value strict YAML
    // refuses (`footer: @handle`, `title: a: b`) is read with that value as plain text.
    const lines = src.text.split('\n');
    for (let round = 0; round < 20 && doc.errors.length > 0; round++) {
      const at = lineCounter.linePos(doc.errors[0]!.pos[0]).line - 1;
      const fixed = [at, at - 1].find((i) => i >= 0 && LOOSE_LINE.test(lines[i] ?? '') && !quoted(lines[i]!));
      if (fixed === undefined) break;
      lines[fixed] = lines[fixed]!.replace(
        LOOSE_LINE,
        (_m, key: string, value: string) => `${key}${JSON.stringify(value.trim())}`,
      );
      loosened.push({ file: src.file, line: src.firstLine + fixed, column: 1 });
      lineCounter = new LineCounter();
      doc = parse(lines.join('\n'));
    }
    // Unreadable even so: the problems are told as strict YAML found them.
    if (doc.errors.length > 0) {
      ({ doc, lineCounter } = strict);
      loosened = [];
    }
  }

  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    const lines = src.text.split('\n');
    throw collect(
      problems.map((problem) => {
        const tag = /tag/i.test(problem.message);
        const pos = posAt(problem.pos[0]);
        const at = (pos.line ?? 1) - src.firstLine;
        const plain = tag ? null : plainYamlProblem(problem.code, lines[at], lines[at + 1]);
        return new DeckError(
          tag ? 'FRONT_MATTER_CODE' : codes.syntax,
          tag
            ? `YAML tag refused: ${firstLine(problem.message)}`
            : `invalid YAML: ${plain?.what ?? firstLine(problem.message)}`,
          {
            pos,
            hint: tag
              ? 'only plain YAML values are allowed; custom tags such as !!js/function are never evaluated'
              : (plain?.fix ?? 'check indentation, quotes and colons around this line'),
          },
        );
      }),
    );
  }

  // Keys that would reach JavaScript prototypes are never options.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && ['__proto__', 'constructor', 'prototype'].includes(String(pair.key.value))) {
        throw new DeckError(codes.invalid, `"${String(pair.key.value)}" cannot be an option name`, {
          pos: posAt(pair.key.range?.[0] ?? 0),
          hint: 'rename or remove the key',
        });
      }
    },
  });
  let data: unknown;
  try {
    data = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // Aliases that expand into far more than was written (a "billion laughs" document).
    let first = 0;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    throw new DeckError(codes.invalid, `YAML aliases expand too far (${(err as Error).message.split('\n')[0]})`, {
      pos: posAt(first),
      hint: 'write the values out instead of repeating them through aliases (*name)',
      cause: err,
    });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DeckError(
      codes.invalid,
      `expected a map of options, found ${Array.isArray(data) ? 'a list' : typeof data}`,
      {
        pos: posAt(doc.contents?.range?.[0] ?? 0),
        hint: 'write options as `key: value` lines',
      },
    );
  }
  return {
    data: data as Record<string, unknown>,
    loosened,
    locate: (path) => posAt(path.length ? keyOffset(doc, path.slice(0, -1), String(path[path.length - 1])) : 0),
    locateValue: (path) => posAt(valueOffset(doc, path)),
  };
}

/**
 * Validates parsed options against a schema, reporting every problem (up to MAX_PROBLEMS) at
 * its key or value, each unknown key with the closest known one.
 */
export function validateLayer<S extends z.ZodType>(
  data: unknown,
  schema: S,
  where: Pick<YamlData, 'locate' | 'locateValue'> & { name?: (path: (string | number)[]) => string },
  codes: LayerCodes,
): z.infer<S> {
  const name = where.name ?? ((path: (string | number)[]) => path.join('.'));
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors: DeckError[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      for (const key of issue.keys) {
        const at = name([...path, key]);
        const suggestion = closest(key, known);
        errors.push(
          new DeckError(
            codes.unknownKey,
            `unknown option "${at}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
            {
              pos: where.locate([...path, key]),
              hint: known.length ? `known options here: ${known.join(', ')}` : 'remove the key',
            },
          ),
        );
      }
      continue;
    }
    const at = name(path) || '(top level)';
    errors.push(
      new DeckError(codes.invalid, `option "${at}": ${issue.message}`, {
        pos: where.locateValue(path),
        hint: 'see docs/outline-format.md for the options and their values',
      }),
    );
  }
  throw collect(errors.sort(bySourcePosition));
}

/** A key a forgiving read left out, and why. */
export interface DroppedOption {
  /** The key as the author wrote it (through `name`). */
  name: string;
  pos: SourcePos;
  /** `unknown`: no such option here; `invalid`: a value of the wrong kind. */
  kind: 'unknown' | 'invalid';
  /** What was wrong with the value (invalid), or the closest known key (unknown). */
  detail?: string;
  /** The known keys at that place (unknown). */
  known: string[];
}

/**
 * Like validateLayer, but never throws for a bad option: each key with a problem is left out —
 * only that key, however deep it sits — so the rest of the layer is kept, and each dropped key
 * is reported once, at its line.
 */
export function validateLayerLenient<S extends z.ZodType>(
  data: Record<string, unknown>,
  schema: S,
  where: Parameters<typeof validateLayer>[2],
): { value: z.infer<S>; dropped: DroppedOption[] } {
  const name = where.name ?? ((path: (string | number)[]) => path.join('.'));
  const dropped: DroppedOption[] = [];
  const current: unknown = structuredClone(data);
  // Each round removes every key the schema names; a value inside a removed one is not looked at again.
  for (let round = 0; round < 8; round++) {
    const result = schema.safeParse(current);
    if (result.success) return { value: result.data, dropped };
    let removed = 0;
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys(schema, path);
        for (const key of issue.keys) {
          const suggestion = closest(key, known);
          dropped.push({
            name: name([...path, key]),
            pos: where.locate([...path, key]),
            kind: 'unknown',
            ...(suggestion ? { detail: suggestion } : {}),
            known,
          });
          removed += removeAt(current, [...path, key]);
        }
        continue;
      }
      // A value inside a list or a union is dropped with the key that holds it.
      const key = path.findIndex((p) => typeof p === 'number');
      const at = key === -1 ? path : path.slice(0, Math.max(1, key));
      if (at.length === 0) break;
      dropped.push({ name: name(at), pos: where.locateValue(at), kind: 'invalid', detail: issue.message, known: [] });
      removed += removeAt(current, at);
    }
    if (removed === 0) break;
  }
  const last = schema.safeParse(current);
  return { value: last.success ? last.data : ({} as z.infer<S>), dropped };
}

/** Deletes the value at a path of nested maps; 1 when something was there. */
function removeAt(data: unknown, path: (string | number)[]): number {
  let node = data;
  for (const part of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return 0;
    node = (node as Record<string, unknown>)[String(part)];
  }
  const last = String(path[path.length - 1]);
  if (node === null || typeof node !== 'object' || !Object.hasOwn(node, last)) return 0;
  delete (node as Record<string, unknown>)[last];
  return 1;
}

/** One error as itself, several as one DeckErrors; past MAX_PROBLEMS, the last says how many more. */
export function collect(errors: DeckError[]): DeckError | DeckErrors {
  if (errors.length > MAX_PROBLEMS) {
    const shown = errors.slice(0, MAX_PROBLEMS - 1);
    const next = errors[MAX_PROBLEMS - 1]!;
    shown.push(
      new DeckError(
        next.code,
        `${next.message} — and ${errors.length - MAX_PROBLEMS} more problems in this file, not shown`,
        { ...(next.pos ? { pos: next.pos } : {}), hint: 'fix these first, then run again' },
      ),
    );
    return new DeckErrors(shown);
  }
  return errors.length === 1 ? errors[0]! : new DeckErrors(errors);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function keyOffset(doc: Document, path: (string | number)[], key: string): number {
  const parent = path.length ? doc.getIn(path, true) : doc.contents;
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0] ?? 0;
    }
  }
  return (parent as Node | null)?.range?.[0] ?? 0;
}

function valueOffset(doc: Document, path: (string | number)[]): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as Node | undefined);
    if (node?.range) return node.range[0];
  }
  return 0;
}

function knownKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let current: unknown = schema;
  for (const part of [...path]) {
    const shape = (current as { shape?: Record<string, unknown> }).shape;
    current = shape?.[String(part)];
    // Unwrap optional/nullable wrappers to reach the object schema below.
    while (current && (current as { unwrap?: () => unknown }).unwrap && !(current as { shape?: unknown }).shape) {
      current = (current as { unwrap: () => unknown }).unwrap();
    }
  }
  const shape = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape).sort() : [];
}

/**
 * What a YAML parser's complaint means for someone writing front matter, and the fix, in plain
 * words; the value of the line in question quoted for them where quoting is the fix.
 */
export function plainYamlProblem(code: string, line = '', next = ''): { what: string; fix: string } | null {
  const pair = /^(\s*[\w.-]+:\s*)(.*?)\s*$/.exec(line);
  const quoted = pair?.[2] ? `${pair[1]!.trim()} ${JSON.stringify(pair[2].replace(/^["']|["']$/g, ''))}` : null;
  const quote = (why: string): string => `${why}: put the value in quotes${quoted ? `, as in ${quoted}` : ''}`;
  switch (code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      // No colon in this value: the line after it is indented, and read as more of this value.
      if (!/:\s/.test(pair?.[2] ?? '') && /^\s/.test(next) && next.search(/\S/) > line.search(/\S/))
        return {
          what: 'the line after this one is indented further, so YAML reads it as more of this value',
          fix: 'start the next key at the same column as this one (or nest it under a key that ends with ":")',
        };
      return {
        what: 'a value holds ": " (a colon and a space), which YAML reads as the start of another key',
        fix: quote('a value with a colon in it is text only in quotes'),
      };
    case 'BAD_SCALAR_START':
      return {
        what: 'a value starts with a character YAML keeps for itself (@ or `)',
        fix: quote('such a value is text only in quotes'),
      };
    case 'TAB_AS_INDENT':
      return { what: 'a tab indents this line', fix: 'indent with spaces: YAML does not take tabs' };
    case 'DUPLICATE_KEY':
      return { what: 'this key is written twice', fix: 'keep one of them' };
    case 'BAD_DQ_ESCAPE':
      return {
        what: 'a backslash inside double quotes starts an escape that does not exist',
        fix: "use single quotes ('C:\\path'), or write the backslash twice",
      };
    case 'MISSING_CHAR':
      return { what: 'a quote or a bracket is opened and never closed', fix: 'close it on the same line' };
    case 'BAD_INDENT':
      return {
        what: 'this line is not indented like the lines it belongs with',
        fix: 'line up keys of the same level, and close any [ or { opened above',
      };
    default:
      return null;
  }
}
