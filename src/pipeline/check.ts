import type { DeckLayer } from '../config/schema.js';
import { DeckError, DeckErrors, type ErrorCode, type Warning } from '../errors.js';
import type { PdfOptions } from '../pdf/export.js';
import { prepareProject, type PreparedDeck } from './prepare-project.js';
import { closeStarted, startBrowser, type StartedBrowser } from './browser-session.js';

/** Findings whose rule is set to `error` fail the run, as errors at their lines. */
export function failOnFindings(findings: Warning[]): void {
  const errors = findings
    .filter((w) => w.severity === 'error')
    .map((w) => new DeckError(w.code as ErrorCode, w.message, { pos: w.pos, ...(w.hint ? { hint: w.hint } : {}) }));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
}

/** The browser rules on decks built in memory, in the run's browser. */
export async function checkPrepared(prepared: PreparedDeck[], opening: StartedBrowser, pdf: PdfOptions, signal?: AbortSignal): Promise<Warning[][]> {
  const [{ checkInBrowser }, browser] = await Promise.all([import('../check/run.js'), opening.browser]);
  return checkInBrowser(prepared.map((p) => ({ deck: p.built.deck, output: p.output })), browser, {
    concurrency: pdf.concurrency,
    timeoutMs: pdf.timeoutMs,
    allowRemote: pdf.allowRemote,
    signal,
  });
}

/** One deck as `lectern check` reports it: its findings, or the errors that kept it from building. */
export interface CheckedDeck {
  file: string;
  findings: Warning[];
  errors: DeckError[];
  /** The tool whose rules the deck was read by, and why (absent when it did not build). */
  dialect?: { name: string; reason: string };
}

export interface CheckOptions {
  projectDir: string;
  inputs?: string[];
  flags?: DeckLayer;
  /** Browser options; false runs the content checks only. */
  browser?: PdfOptions | false;
  signal?: AbortSignal;
}

/**
 * `lectern check`: every deck built in memory and checked, content rules first, then the browser
 * rules in one browser. Writes nothing. A deck that does not build is reported with its errors.
 */
export async function checkAll(options: CheckOptions): Promise<CheckedDeck[]> {
  const browserOptions = options.browser === undefined ? {} : options.browser;
  const opening = browserOptions ? startBrowser(browserOptions, false) : null;
  try {
    const { prepared, errors } = await prepareProject({ projectDir: options.projectDir, inputs: options.inputs, flags: options.flags, pdf: false, writes: false, signal: options.signal });
    const found = opening && prepared.length ? await checkPrepared(prepared, opening, browserOptions || {}, options.signal) : [];
    const decks: CheckedDeck[] = prepared.map((p, i) => {
      const d = p.built.deck.dialect;
      return {
        file: p.built.deck.file,
        findings: [...p.built.deck.warnings, ...(found[i] ?? [])],
        errors: [],
        ...(d ? { dialect: { name: d.dialect === 'pandoc' && d.quarto ? 'quarto' : d.dialect, reason: d.reason } } : {}),
      };
    });
    for (const error of errors) {
      const file = error.pos?.file ?? 'lectern';
      const deck = decks.find((d) => d.file === file);
      if (deck) deck.errors.push(error);
      else decks.push({ file, findings: [], errors: [error] });
    }
    return decks.sort((a, b) => a.file.localeCompare(b.file));
  } finally {
    if (opening) await closeStarted(opening);
  }
}

