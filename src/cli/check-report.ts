import { shownPath } from '../shown.js';
import { bySourcePosition, DeckErrors, ExitCode, formatDiagnostic, type Finding } from '../errors.js';
import type { CheckedDeck } from '../pipeline/check.js';
import { errorsJson, type CliIo } from './report.js';

interface CheckReportOptions {
  strict: boolean;
  json: boolean;
  quiet: boolean;
  ms: number;
}

/**
 * Prints `lectern check` results grouped by deck (or as JSON) and returns the exit status: 1 when
 * a finding is an error (or any finding, with --strict), a deck's own error status when it did
 * not build, 0 otherwise.
 */
export function reportCheck(decks: CheckedDeck[], options: CheckReportOptions, io: CliIo): number {
  let errors = 0;
  let warnings = 0;
  let status: number = ExitCode.ok;
  for (const deck of decks) {
    for (const e of deck.errors) status = Math.max(status, e.exitCode);
    errors += deck.errors.length + deck.findings.filter((f) => f.severity === 'error').length;
    warnings += deck.findings.filter((f) => f.severity !== 'error').length;
  }
  if (status === ExitCode.ok && (errors > 0 || (options.strict && warnings > 0))) status = ExitCode.content;

  if (options.json) {
    const json = {
      decks: decks.map((deck) => ({
        file: shownPath(deck.file, io.cwd),
        ...(deck.dialect ? { dialect: deck.dialect.name, dialectReason: deck.dialect.reason } : {}),
        errors: deck.errors.length ? errorsJson(new DeckErrors(deck.errors), io) : [],
        findings: [...deck.findings].sort(bySourcePosition).map((f) => findingJson(f, io)),
      })),
      errors,
      warnings,
      strict: options.strict,
      exitCode: status,
    };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
    return status;
  }

  for (const deck of decks) {
    const count = deck.errors.length + deck.findings.length;
    if (options.quiet && count === 0) continue;
    io.stdout(`${shownPath(deck.file, io.cwd)}: ${count === 0 ? 'no problems' : tally(deck)}\n`);
    for (const e of deck.errors)
      io.stdout(
        `${formatDiagnostic('error', e.code, e.message, e.pos && { ...e.pos, file: shownPath(e.pos.file, io.cwd) }, e.hint)}\n`,
      );
    for (const f of [...deck.findings].sort(bySourcePosition)) {
      io.stdout(
        `${formatDiagnostic(f.severity ?? 'warning', f.code, f.message, { ...f.pos, file: shownPath(f.pos.file, io.cwd) }, f.hint)}\n`,
      );
    }
  }
  if (!options.quiet) {
    const n = decks.length;
    const fails =
      status !== ExitCode.ok ? ` — failed${options.strict && errors === 0 ? ' (--strict: warnings count)' : ''}` : '';
    io.stdout(
      `${n} deck${n === 1 ? '' : 's'} checked in ${Math.round(options.ms)} ms: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${fails}\n`,
    );
  }
  return status;
}

function tally(deck: CheckedDeck): string {
  const errors = deck.errors.length + deck.findings.filter((f) => f.severity === 'error').length;
  const warnings = deck.findings.length - deck.findings.filter((f) => f.severity === 'error').length;
  return [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : '']
    .filter(Boolean)
    .join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function findingJson(f: Finding, io: CliIo): Record<string, unknown> {
  return {
    rule: f.rule ?? null,
    code: f.code,
    severity: f.severity ?? 'warning',
    message: f.message,
    file: shownPath(f.pos.file, io.cwd),
    line: f.pos.line ?? null,
    column: f.pos.column ?? null,
    ...(f.hint ? { hint: f.hint } : {}),
  };
}
