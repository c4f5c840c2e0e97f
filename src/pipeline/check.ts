import type { BrowserOptions } from '../browser/find.js';
import type { DeckLayer } from '../config/schema.js';
import { DeckError, DeckErrors, type ErrorCode, type Finding } from '../errors.js';
import { dialectName } from '../outline/dialects/detect.js';
import { outputFiles } from '../browser/deck-files.js';
import { closeBrowserSession, startBrowserSession, type BrowserSession } from './browser-session.js';
import type { PreparedDeck } from './prepare-deck.js';
import { diagramDrawer } from './diagrams.js';
import { prepareProject } from './prepare-project.js';
import { compareText } from '../text.js';

/** Findings whose rule is set to `error` fail the run, as errors at their lines. */
export function failOnFindings(findings: Finding[]): void {
  const errors = findings
    .filter((w) => w.severity === 'error')
    .map((w) => new DeckError(w.code as ErrorCode, w.message, { pos: w.pos, ...(w.hint ? { hint: w.hint } : {}) }));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new DeckErrors(errors);
}

/** The browser rules on decks built in memory, in the run's browser: each deck's findings, in order. */
export async function checkPrepared(
  prepared: PreparedDeck[],
  session: BrowserSession,
  options: BrowserOptions,
  signal?: AbortSignal,
): Promise<Finding[][]> {
  const [{ checkInBrowser }, browser] = await Promise.all([import('../check/run.js'), session.browser]);
  return checkInBrowser(
    prepared.map((p) => ({ deck: p.deck, assets: [...p.deck.assets, ...p.extraAssets], output: p.output })),
    browser,
    { ...options, signal },
  );
}

/** Each deck printed in memory, the PDF read back against PDF/UA-1: each deck's findings, in order. */
async function checkStructure(
  prepared: PreparedDeck[],
  session: BrowserSession,
  options: BrowserOptions,
  signal?: AbortSignal,
): Promise<Finding[][]> {
  const [{ checkPdfs }, browser] = await Promise.all([import('../pdf/export.js'), session.browser]);
  const { concurrency, timeoutMs, allowRemote } = options;
  return checkPdfs(
    prepared.map((p) => ({ summary: p.summary, files: outputFiles(p.output) })),
    browser,
    { concurrency, timeoutMs, allowRemote, signal },
  );
}

/** One deck as `lectern check` reports it: its findings, or the errors that kept it from building. */
export interface CheckedDeck {
  file: string;
  findings: Finding[];
  errors: DeckError[];
  /** The tool whose rules the deck was read by, and why (absent when it did not build). */
  dialect?: { name: string; reason: string };
}

export interface CheckOptions {
  projectDir: string;
  inputs?: string[];
  flags?: DeckLayer;
  /** How to find and drive the browser; false runs the content checks only. */
  browser?: BrowserOptions | false;
  signal?: AbortSignal;
}

/**
 * `lectern check`: every deck built in memory and checked, content rules first, then the browser
 * rules in one browser. Writes nothing. A deck that does not build is reported with its errors.
 */
export async function checkAll(options: CheckOptions): Promise<CheckedDeck[]> {
  const browserOptions = options.browser === undefined ? {} : options.browser;
  const session = browserOptions ? startBrowserSession(browserOptions, true) : null;
  try {
    const { prepared, errors } = await prepareProject({
      projectDir: options.projectDir,
      inputs: options.inputs,
      flags: options.flags,
      pdf: false,
      writes: false,
      signal: options.signal,
      drawDiagrams: diagramDrawer(session, browserOptions || {}),
    });
    const found =
      session && prepared.length ? await checkPrepared(prepared, session, browserOptions || {}, options.signal) : [];
    // Each deck printed in memory as its PDF export would, and the PDF read back against PDF/UA-1.
    const structure =
      session && prepared.length ? await checkStructure(prepared, session, browserOptions || {}, options.signal) : [];
    const decks: CheckedDeck[] = prepared.map((p, i) => {
      const d = p.deck.dialect;
      return {
        file: p.deck.file,
        findings: [...p.findings, ...(found[i] ?? []), ...(structure[i] ?? [])],
        errors: [],
        ...(d ? { dialect: { name: dialectName(d), reason: d.reason } } : {}),
      };
    });
    for (const error of errors) {
      const file = error.pos?.file ?? 'lectern';
      const deck = decks.find((d) => d.file === file);
      if (deck) deck.errors.push(error);
      else decks.push({ file, findings: [], errors: [error] });
    }
    return decks.sort((a, b) => compareText(a.file, b.file));
  } finally {
    if (session) await closeBrowserSession(session);
  }
}
