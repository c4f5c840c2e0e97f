import { formatBytes, shownPath } from '../shown.js';
import { DeckErrors, formatDiagnostic, toDeckError, type SourcePos, type Finding } from '../errors.js';
import type { PdfResult } from '../pdf/export.js';
import type { PdfProgress } from '../pipeline/build.js';

/** What the CLI may touch of the process, passed in so tests run it in-process. */
export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal: progress bars there, plain lines otherwise. */
  isTTY?: boolean;
  signal?: AbortSignal;
  /** The environment, for `LECTERN_BROWSER_WS`; none in tests unless given. */
  env?: Record<string, string | undefined>;
}

function shortPos(pos: SourcePos | undefined, cwd: string): SourcePos | undefined {
  return pos ? { ...pos, file: shownPath(pos.file, cwd) } : pos;
}

export function reportWarnings(warnings: Finding[], io: CliIo): void {
  for (const w of warnings)
    io.stderr(`${formatDiagnostic(w.severity ?? 'warning', w.code, w.message, shortPos(w.pos, io.cwd), w.hint)}\n`);
}

/** Prints every error of a failed run and returns the exit status. */
export function reportFailure(err: unknown, io: CliIo, debug: boolean): number {
  const errors = err instanceof DeckErrors ? err.errors : [toDeckError(err)];
  for (const e of errors) {
    io.stderr(`${formatDiagnostic('error', e.code, e.message, shortPos(e.pos, io.cwd), e.hint)}\n`);
    if (debug) io.stderr(`${causeChain(e)}\n`);
  }
  if (errors.length > 1) io.stderr(`${errors.length} errors; nothing was written\n`);
  return err instanceof DeckErrors ? err.exitCode : errors[0]!.exitCode;
}

/** The errors of a failed run as --json reports them. */
export function errorsJson(err: unknown, io: CliIo): Record<string, unknown>[] {
  const errors = err instanceof DeckErrors ? err.errors : [toDeckError(err)];
  return errors.map((e) => ({
    code: e.code,
    message: e.message,
    ...(e.pos ? { pos: shortPos(e.pos, io.cwd) } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    exitCode: e.exitCode,
  }));
}

/** The stack of an error and of each cause below it. */
function causeChain(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error) {
    parts.push(current.stack ?? current.message);
    current = current.cause;
  }
  return parts.join('\ncaused by: ');
}

/** The line a written PDF gets: where, how many pages, how large, how long. */
export function pdfLine(result: PdfResult, io: CliIo): string {
  const { handout } = result;
  const sheets = handout
    ? `  handout -> ${shownPath(handout.path, io.cwd)} (${handout.perPage} slides a page, ${handout.paper === 'a4' ? 'A4' : 'Letter'}, ${handout.pages} page${handout.pages === 1 ? '' : 's'}, ${formatBytes(handout.bytes)})\n`
    : '';
  return `pdf ${result.file} -> ${shownPath(result.path, io.cwd)} (${result.pages} pages, ${formatBytes(result.bytes)}, ${Math.round(result.ms)} ms)\n${sheets}`;
}

/** Decks this large announce their start when output is piped. */
const LARGE_DECK = 300;

/**
 * PDF progress: on a terminal one bar, redrawn in place (decks and slides done, elapsed time);
 * otherwise one line per finished deck with its pages, size and time.
 */
export function pdfProgress(io: CliIo, quiet: boolean, deferLines = false): PdfProgress {
  const started = performance.now();
  let totalDecks = 0;
  let totalSlides = 0;
  let decksDone = 0;
  let slidesDone = 0;
  const slidesOf = new Map<string, number>();
  let current = '';
  const draw = (): void => {
    const width = 24;
    const filled = totalSlides ? Math.round((slidesDone / totalSlides) * width) : 0;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const now = current && decksDone < totalDecks ? ` · printing ${current}` : '';
    io.stderr(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] PDF ${decksDone}/${totalDecks} decks, ${slidesDone}/${totalSlides} slides, ${seconds}s${now}\x1b[K`,
    );
    if (decksDone === totalDecks) io.stderr('\n');
  };
  return {
    start(decks) {
      totalDecks = decks.length;
      totalSlides = decks.reduce((n, d) => n + d.slideCount, 0);
      for (const d of decks) slidesOf.set(d.name, d.slideCount);
      if (!quiet && io.isTTY) draw();
    },
    begin(deck) {
      current = deck.name;
      if (quiet) return;
      if (io.isTTY) draw();
      // Piped: big decks say when they start, since their line comes only at the end.
      else if (deck.slideCount >= LARGE_DECK) io.stdout(`printing ${deck.file} (${deck.slideCount} slides)\n`);
    },
    done(result: PdfResult) {
      decksDone++;
      slidesDone += slidesOf.get(result.name) ?? 0;
      if (quiet) return;
      if (io.isTTY) draw();
      // A build prints each PDF's line under its deck's, in the order things happened.
      else if (!deferLines) io.stdout(pdfLine(result, io));
    },
  };
}

/**
 * Text as the terminal gets it: control characters and escape sequences left out (but line
 * breaks, tabs, the progress line's own return at its start and its erase-to-end), and the
 * characters that reorder text on screen. A file name or a title cannot retitle the window,
 * colour the output or make one line look like another.
 */
export function terminalSafe(text: string): string {
  const lead = text.startsWith('\r') ? '\r' : '';
  return (
    lead +
    text
      .slice(lead.length)
      .replace(/\x1b\[K/g, '\u0000K')
      .replace(/[\u0001-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/\u0000K/g, '\x1b[K')
      .replace(/\u0000/g, '')
  );
}
