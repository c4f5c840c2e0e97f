import { z } from 'zod';
import type { CheckCode } from '../errors.js';

/**
 * The checks `lectern check` runs, each with a name, a default severity and, for some, a limit.
 * `content` rules read the deck model and run on every build; `browser` rules need the deck laid
 * out in Chromium and run in `lectern check` and `lectern build --check`.
 */
export const rules = {
  'slide-overflow': {
    code: 'SLIDE_OVERFLOW',
    severity: 'warning',
    stage: 'browser',
    about: 'content taller or wider than the slide, in any fragment state; clipped or scrolling code blocks',
  },
  'fit-shrink': {
    code: 'SLIDE_SHRUNK',
    severity: 'warning',
    stage: 'browser',
    about: 'slides that `fit: shrink` scaled below the limit (percent of their size) to fit',
    limit: 70,
  },
  'image-alt': { code: 'IMAGE_ALT', severity: 'warning', stage: 'browser', about: 'images without alternative text' },
  'color-contrast': {
    code: 'COLOR_CONTRAST',
    severity: 'warning',
    stage: 'browser',
    about: 'text whose contrast is below WCAG AA in the rendered theme',
  },
  lang: { code: 'LANG_MISSING', severity: 'warning', stage: 'browser', about: 'a page without a valid lang attribute' },
  'heading-order': {
    code: 'HEADING_ORDER',
    severity: 'warning',
    stage: 'browser',
    about: 'a heading more than one level below the one before it, inside a slide',
  },
  'pdf-structure': {
    code: 'PDF_ACCESSIBILITY',
    severity: 'warning',
    stage: 'browser',
    about:
      'what a PDF/UA-1 read-back of the printed PDF finds (its skipped headings and pictures without alt text follow heading-order and image-alt)',
  },
  'missing-glyphs': {
    code: 'MISSING_GLYPHS',
    severity: 'warning',
    stage: 'browser',
    about: 'characters that no font of their font stack draws (they show as boxes)',
  },
  'image-broken': {
    code: 'IMAGE_BROKEN',
    severity: 'error',
    stage: 'browser',
    about: 'images that fail to load or decode',
  },
  'image-oversized': {
    code: 'IMAGE_OVERSIZED',
    severity: 'warning',
    stage: 'browser',
    about: 'raster images much larger than they are shown (limit: times the shown size)',
    limit: 3,
  },
  'link-slide': {
    code: 'LINK_SLIDE_MISSING',
    severity: 'warning',
    stage: 'content',
    about: 'links to slides that do not exist (#/3, #/2/1, #/an-id)',
  },
  'link-file': {
    code: 'LINK_FILE_MISSING',
    severity: 'warning',
    stage: 'content',
    about: 'links to local files that do not exist or are outside the deck folder',
  },
  'slide-empty': {
    code: 'SLIDE_EMPTY',
    severity: 'warning',
    stage: 'content',
    about: 'slides with no title and no content',
  },
  'max-bullets': {
    code: 'SLIDE_TOO_MANY_BULLETS',
    severity: 'warning',
    stage: 'content',
    about: 'slides with more list items than the limit',
    limit: 7,
  },
  'max-words': {
    code: 'SLIDE_TOO_MANY_WORDS',
    severity: 'warning',
    stage: 'content',
    about: 'slides with more words on them than the limit (notes and code not counted)',
    limit: 60,
  },
  'notes-missing': {
    code: 'NOTES_MISSING',
    severity: 'off',
    stage: 'content',
    about: 'slides without speaker notes (off until a deck asks for notes by turning it on)',
  },
  'duplicate-title': {
    code: 'TITLE_DUPLICATE',
    severity: 'warning',
    stage: 'content',
    about: 'two slides with the same title',
  },
} as const satisfies Record<string, RuleInfo>;

interface RuleInfo {
  code: CheckCode;
  severity: Severity;
  stage: 'content' | 'browser';
  about: string;
  limit?: number;
}

/**
 * The rule a PDF/UA-1 checkpoint's finding answers to: the two that repeat an HTML rule follow
 * it (a deck that turns `heading-order` off hears of skipped levels from neither), the rest
 * follow `pdf-structure`.
 */
export function ruleOfCheckpoint(checkpoint: string): RuleName {
  if (checkpoint === '14-003') return 'heading-order';
  if (checkpoint === '13-004') return 'image-alt';
  return 'pdf-structure';
}

export type Severity = 'off' | 'warning' | 'error';
export type RuleName = keyof typeof rules;

// The codes are Lectern's (errors.ts, a leaf every stage reads); each names one rule here, and
// the compiler fails when a code has no rule.
type CodeWithoutRule = Exclude<CheckCode, (typeof rules)[RuleName]['code']>;
const everyCodeHasRule: [CodeWithoutRule] extends [never] ? true : CodeWithoutRule = true;
void everyCodeHasRule;
export const ruleNames = Object.keys(rules) as RuleName[];

/** A rule as one layer of config sets it: a severity, a limit, or both. */
export interface RuleSetting {
  severity?: Severity;
  limit?: number;
}

const severity = z.union([z.enum(['off', 'warning', 'error']), z.literal(false).transform(() => 'off' as const)]);
const setting = z.union([
  severity.transform((value): RuleSetting => ({ severity: value })),
  z.object({ severity: severity.optional(), limit: z.number().int().positive().optional() }).strict(),
]);

/** `checks:` in front matter or the config file: rule name -> `off` | `warning` | `error` | `{severity, limit}`. */
export const checksSchema = z
  .object(Object.fromEntries(ruleNames.map((name) => [name, setting])) as Record<RuleName, typeof setting>)
  .partial()
  .strict();
export type ChecksLayer = Partial<Record<RuleName, RuleSetting>>;

/** One rule with every layer applied. */
export interface ActiveRule {
  name: RuleName;
  code: CheckCode;
  severity: Severity;
  limit: number;
}

/** The rules in force for a deck: defaults, then the merged `checks:` layers. */
export function resolveRules(checks: ChecksLayer): Record<RuleName, ActiveRule> {
  const out = {} as Record<RuleName, ActiveRule>;
  for (const name of ruleNames) {
    const info: RuleInfo = rules[name];
    const set = checks[name] ?? {};
    out[name] = { name, code: info.code, severity: set.severity ?? info.severity, limit: set.limit ?? info.limit ?? 0 };
  }
  return out;
}

/** Merges `checks:` layers lowest first, rule by rule and field by field. */
export function mergeChecks(lower: ChecksLayer, upper: ChecksLayer): ChecksLayer {
  const merged: ChecksLayer = { ...lower };
  for (const [name, set] of Object.entries(upper) as [RuleName, RuleSetting][]) {
    merged[name] = { ...merged[name], ...set };
  }
  return merged;
}
