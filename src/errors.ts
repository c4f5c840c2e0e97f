import { compareText } from './text.js';

/** Where in a source file something happened. Lines and columns are 1-based. */
export interface SourcePos {
  file: string;
  line?: number;
  column?: number;
}

/**
 * Exit statuses, documented in the README. The CLI is the only place that turns them into a
 * process exit; everything else throws a DeckError that carries one.
 */
export const ExitCode = {
  ok: 0,
  content: 1,
  usage: 2,
  environment: 3,
  render: 4,
  output: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The codes of check findings, one per rule (see src/check/rules.ts). */
const checkCodes = [
  'SLIDE_OVERFLOW',
  'IMAGE_ALT',
  'COLOR_CONTRAST',
  'LANG_MISSING',
  'HEADING_ORDER',
  'IMAGE_BROKEN',
  'IMAGE_OVERSIZED',
  'LINK_SLIDE_MISSING',
  'LINK_FILE_MISSING',
  'SLIDE_EMPTY',
  'SLIDE_TOO_MANY_BULLETS',
  'SLIDE_TOO_MANY_WORDS',
  'NOTES_MISSING',
  'TITLE_DUPLICATE',
  'MISSING_GLYPHS',
  'SLIDE_SHRUNK',
  /** What a PDF/UA-1 read-back of the printed PDF finds, at the slide. */
  'PDF_ACCESSIBILITY',
] as const;
export type CheckCode = (typeof checkCodes)[number];

/** Every error code Lectern reports, with the exit status it leads to. */
const errorCodes = {
  SOURCE_READ: ExitCode.content,
  SOURCE_ENCODING: ExitCode.content,
  FRONT_MATTER_UNCLOSED: ExitCode.content,
  FRONT_MATTER_SYNTAX: ExitCode.content,
  FRONT_MATTER_CODE: ExitCode.content,
  FRONT_MATTER_INVALID: ExitCode.content,
  FRONT_MATTER_UNKNOWN_KEY: ExitCode.content,
  LAYOUT_UNKNOWN: ExitCode.content,
  DIRECTIVE_INVALID: ExitCode.content,
  ASSET_MISSING: ExitCode.content,
  ASSET_OUTSIDE: ExitCode.content,
  ASSET_REMOTE: ExitCode.content,
  ASSET_UNSAFE: ExitCode.content,
  DECK_EMPTY: ExitCode.content,
  MARKDOWN_TOO_DEEP: ExitCode.content,
  MARKDOWN_TOO_COMPLEX: ExitCode.content,
  SOURCE_BINARY: ExitCode.content,
  SOURCE_TOO_LARGE: ExitCode.content,
  SOURCE_OUTSIDE: ExitCode.content,
  DECK_NAME_CLASH: ExitCode.usage,
  DECK_NAME_RESERVED: ExitCode.usage,
  OUTPUT_OVERLAPS_SOURCE: ExitCode.usage,
  CONFIG_SYNTAX: ExitCode.usage,
  CONFIG_INVALID: ExitCode.usage,
  CONFIG_UNKNOWN_KEY: ExitCode.usage,
  USAGE: ExitCode.usage,
  NEW_EXISTS: ExitCode.usage,
  PORT_IN_USE: ExitCode.usage,
  INPUT_MISSING: ExitCode.usage,
  FILE_NOT_REGULAR: ExitCode.usage,
  TEMPLATE_UNKNOWN: ExitCode.usage,
  TEMPLATE_SYNTAX: ExitCode.render,
  TEMPLATE_RENDER: ExitCode.render,
  TEMPLATE_PARTIAL_MISSING: ExitCode.render,
  TEMPLATE_PARTIAL_CYCLE: ExitCode.render,
  TEMPLATE_HELPER_ARGS: ExitCode.render,
  TEMPLATE_FIELD_UNKNOWN: ExitCode.render,
  TEMPLATE_CYCLE: ExitCode.render,
  TEMPLATE_MANIFEST: ExitCode.render,
  THEME_UNKNOWN: ExitCode.content,
  THEME_INVALID: ExitCode.content,
  RUNTIME_MISSING: ExitCode.environment,
  BROWSER_NOT_FOUND: ExitCode.environment,
  BROWSER_LAUNCH: ExitCode.environment,
  BROWSER_CRASHED: ExitCode.render,
  RENDER_TIMEOUT: ExitCode.render,
  PDF_FAILED: ExitCode.render,
  CHECK_FAILED: ExitCode.render,
  OUTPUT_WRITE: ExitCode.output,
  OUTPUT_LOCKED: ExitCode.output,
  OUTPUT_NOT_OURS: ExitCode.output,
  ASSET_CHANGED: ExitCode.content,
  INTERRUPTED: ExitCode.interrupted,
  INTERNAL: ExitCode.render,
  // Warnings, when `--strict` makes them errors.
  HTML_REMOVED: ExitCode.content,
  OPTION_IGNORED: ExitCode.content,
  FRONT_MATTER_LOOSE: ExitCode.content,
  SYNTAX_UNSUPPORTED: ExitCode.content,
  FENCE_UNCLOSED: ExitCode.content,
  SECTION_UNWRAPPED: ExitCode.content,
  NOTES_SUSPICIOUS: ExitCode.content,
  REQUEST_BLOCKED: ExitCode.render,
  PDF_DATE: ExitCode.render,
  HANDOUT_NOTES_CUT: ExitCode.content,
  LOCK_RECLAIMED: ExitCode.output,
  SINGLE_FILE_LARGE: ExitCode.output,
  SINGLE_FILE_INCOMPLETE: ExitCode.output,
  MATH_ERROR: ExitCode.content,
  FOOTNOTE_MISSING: ExitCode.content,
  PAGE_NOT_PUBLISHED: ExitCode.content,
  CODE_STEP_RANGE: ExitCode.content,
  DIAGRAM_ERROR: ExitCode.content,
  ANNOTATIONS_UNREADABLE: ExitCode.content,
  ANNOTATIONS_UNSAVED: ExitCode.output,
  TEMPLATE_CSS: ExitCode.render,
  DIAGRAM_UNDRAWN: ExitCode.render,
  DIAGRAM_TIMEOUT: ExitCode.render,
  // Findings of `lectern check` whose rule is set to `error`.
  ...(Object.fromEntries(checkCodes.map((code) => [code, ExitCode.content])) as Record<
    CheckCode,
    typeof ExitCode.content
  >),
} as const satisfies Record<string, ExitCode>;
export type ErrorCode = keyof typeof errorCodes;

type FindingCode =
  | CheckCode
  | 'HTML_REMOVED'
  | 'REQUEST_BLOCKED'
  | 'PDF_DATE'
  /** Speaker notes too long to fit beside their slide in a 3-a-sheet handout. */
  | 'HANDOUT_NOTES_CUT'
  | 'LOCK_RECLAIMED'
  /** A single-file deck over the size Lectern warns at, and what made it large. */
  | 'SINGLE_FILE_LARGE'
  /** A single-file deck that still loads a file of the deck folder (a frame, a background list). */
  | 'SINGLE_FILE_INCOMPLETE'
  /** Another tool's option that Lectern does not honour. */
  | 'OPTION_IGNORED'
  /** A front-matter value strict YAML refuses, read as text as the deck's own tool reads it. */
  | 'FRONT_MATTER_LOOSE'
  /** Syntax of another tool that needs an engine Lectern does not have: shown as code or dropped. */
  | 'SYNTAX_UNSUPPORTED'
  | 'FENCE_UNCLOSED'
  /** TeX that KaTeX cannot set: its source is shown instead. */
  | 'MATH_ERROR'
  /** A `[^label]` with no `[^label]:` on its slide. */
  | 'FOOTNOTE_MISSING'
  /** A code line step that names a line the block does not have. */
  | 'CODE_STEP_RANGE'
  /** A diagram mermaid cannot parse: its source is shown. */
  | 'DIAGRAM_ERROR'
  /** A diagram no browser was there to draw, and none drawn before: shown as code. */
  | 'DIAGRAM_UNDRAWN'
  /** A diagram past Lectern's deadline for drawing: shown as code. */
  | 'DIAGRAM_TIMEOUT'
  /** A raw <section> inside a slide, unwrapped so each slide stays one page. */
  | 'SECTION_UNWRAPPED'
  | 'ASSET_MISSING'
  | 'ASSET_REMOTE'
  /** A linked web page (or XML document) a safe deck does not publish: the link points nowhere. */
  | 'PAGE_NOT_PUBLISHED'
  /** Speaker notes that look like slides: a separator may be missing. */
  | 'NOTES_SUSPICIOUS'
  /** `--annotations` with no drawing file beside the deck, or strokes in it that are not well formed. */
  | 'ANNOTATIONS_UNREADABLE'
  /** The talk's drawing could not be written beside the deck: the talk goes on, the drawing is kept in memory. */
  | 'ANNOTATIONS_UNSAVED'
  /** A template's stylesheet holds what a browser drops: text that does not parse, an unknown property, a wrong value. */
  | 'TEMPLATE_CSS';

interface DeckErrorInit {
  pos?: SourcePos;
  hint?: string;
  cause?: unknown;
}

/** The one error type of Lectern: a code, a position, a hint, and the exit status it means. */
export class DeckError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly pos?: SourcePos;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, init: DeckErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DeckError';
    this.code = code;
    this.exitCode = errorCodes[code];
    this.pos = init.pos;
    this.hint = init.hint;
  }
}

/** Several errors found in one run (every deck is checked before anything is written). */
export class DeckErrors extends Error {
  readonly errors: DeckError[];
  constructor(errors: DeckError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'DeckErrors';
    this.errors = errors;
  }
  /** The most serious status among the errors: environment and I/O outrank content. */
  get exitCode(): ExitCode {
    return Math.max(...this.errors.map((e) => e.exitCode)) as ExitCode;
  }
}

/**
 * Something a run reports about a deck: a warning, or what a check rule found. Rule findings
 * carry the rule and its severity; one at `error` fails `lectern check` and `lectern build`
 * (as an error at its line). Without a severity it is a warning.
 */
export interface Finding {
  code: FindingCode;
  message: string;
  pos: SourcePos;
  hint?: string;
  rule?: string;
  severity?: 'warning' | 'error';
}

/** `file:line:col` with as much of the position as is known. */
function formatPos(pos: SourcePos | undefined): string {
  if (!pos) return 'lectern';
  let out = pos.file;
  if (pos.line !== undefined) {
    out += `:${pos.line}`;
    if (pos.column !== undefined) out += `:${pos.column}`;
  }
  return out;
}

/** The one-line form every diagnostic takes, plus its hint line. */
export function formatDiagnostic(
  severity: 'error' | 'warning',
  code: string,
  message: string,
  pos: SourcePos | undefined,
  hint?: string,
): string {
  const head = `${formatPos(pos)}: ${severity}[${code}]: ${message}`;
  return hint ? `${head}\n  hint: ${hint}` : head;
}

/** An interrupt (Ctrl-C, or the caller's signal), as every stage reports it. */
export function interrupted(): DeckError {
  return new DeckError('INTERRUPTED', 'interrupted; the previous output is unchanged');
}

/** Wraps anything thrown into a DeckError, keeping DeckErrors as they are. */
export function toDeckError(err: unknown, pos?: SourcePos): DeckError {
  if (err instanceof DeckError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new DeckError('INTERNAL', message, {
    pos,
    cause: err,
    hint: 'this is a bug in Lectern; run again with --debug and report the stack trace',
  });
}

/** Orders diagnostics as the source reads: by file, line, then column. */
export function bySourcePosition(a: { pos?: SourcePos }, b: { pos?: SourcePos }): number {
  return (
    compareText(a.pos?.file ?? '', b.pos?.file ?? '') ||
    (a.pos?.line ?? 0) - (b.pos?.line ?? 0) ||
    (a.pos?.column ?? 0) - (b.pos?.column ?? 0)
  );
}

/** Appends without spreading: a deck can carry more warnings than a call may take arguments. */
export function append<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** Warnings of one code said at most this often per deck; one more line says how many more. */
const MAX_WARNINGS_PER_CODE = 50;

/** Caps repeated warnings per code, keeping the first ones and saying how many were left out. */
export function capWarnings(warnings: Finding[]): Finding[] {
  const seen = new Map<string, number>();
  const out: Finding[] = [];
  for (const w of warnings) {
    const n = (seen.get(w.code) ?? 0) + 1;
    seen.set(w.code, n);
    if (n <= MAX_WARNINGS_PER_CODE) out.push(w);
  }
  for (const [code, n] of seen) {
    if (n <= MAX_WARNINGS_PER_CODE) continue;
    const first = warnings.find((w) => w.code === code)!;
    out.push({
      ...first,
      message: `${n - MAX_WARNINGS_PER_CODE} more ${code} warnings in this deck are not shown`,
      hint: `the first ${MAX_WARNINGS_PER_CODE} are above`,
    });
  }
  return out;
}
