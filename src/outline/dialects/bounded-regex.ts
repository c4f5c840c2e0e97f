import { runInNewContext } from 'node:vm';
import { DeckError, type SourcePos } from '../../errors.js';

/**
 * Runs a deck's own regular expressions (reveal-md's separators) with a time limit: a pattern
 * from someone else's deck must not be able to hang the build, and the JavaScript engine cannot
 * stop a regular expression by itself. The work runs in a separate context that is interrupted
 * after `budgetMs`.
 */

/** Per deck: far more than any separator needs on a 5 MB file. */
const REGEX_BUDGET_MS = 2000;

interface Match {
  index: number;
  length: number;
  /** Whether `also` (a second pattern) matches the matched text. */
  also: boolean;
}

const program = `texts.map((text) => {
  const re = new RegExp(source, flags);
  const also = alsoSource === null ? null : new RegExp(alsoSource);
  const out = [];
  for (const m of text.matchAll(re)) {
    if (m[0].length === 0) continue;
    out.push([m.index, m[0].length, also !== null && also.test(m[0])]);
  }
  return out;
})`;

export function boundedMatches(
  source: string,
  flags: string,
  texts: string[],
  pos: SourcePos,
  also: string | null = null,
  budgetMs = REGEX_BUDGET_MS,
): Match[][] {
  let raw: [number, number, boolean][][];
  try {
    raw = runInNewContext(program, { texts, source, flags, alsoSource: also }, { timeout: budgetMs }) as [
      number,
      number,
      boolean,
    ][][];
  } catch (err) {
    if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
    throw new DeckError(
      'FRONT_MATTER_INVALID',
      `the pattern "${source.slice(0, 60)}" takes more than ${budgetMs / 1000} s on this deck`,
      {
        pos,
        hint: 'a pattern with nested repetition backtracks without end: write the separator as a plain line, such as ^---$',
        cause: err,
      },
    );
  }
  // Plain data back from the other context.
  return raw.map((list) =>
    Array.from(list, ([index, length, hit]) => ({ index: Number(index), length: Number(length), also: hit === true })),
  );
}
