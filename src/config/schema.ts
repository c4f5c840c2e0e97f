import { z } from 'zod';
import { allowedHostProblem } from './address-policy.js';
import { checksSchema, mergeChecks, type ChecksLayer } from './check-rules.js';
import { parseDuration } from './duration.js';

/**
 * The one schema for deck options. Every layer (config file, front matter, CLI flags) is
 * validated against it; `deckDefaults` is the only place defaults live. Merge order:
 * defaults < lectern.config.yaml < front matter < CLI flags.
 */

const text = z.union([z.string(), z.number()]).transform(String);
const regex = z
  .string()
  .min(1)
  .max(200, 'a separator pattern of at most 200 characters')
  .refine((source) => {
    try {
      new RegExp(source, 'm');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression')
  // A repeated group that itself repeats (`(a+)+`) can take exponential time on one long line:
  // a deck from someone else must not be able to hang the build.
  .refine(
    (source) => !/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,)/.test(source),
    'a pattern with a repeated group inside a repetition (such as (a+)+), which can take exponential time',
  );

/** A duration in seconds (Reveal.js's unit), or as a speaker writes it: `20m`, `1h 15m`, `1:30`. */
const duration = z.union([z.number().min(0), z.string()]).transform((value, ctx) => {
  const seconds = parseDuration(value);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a duration such as 20m, 90s, 1:30 or a number of seconds' });
    return z.NEVER;
  }
  return seconds;
});

export const transitions = ['none', 'fade', 'slide', 'convex', 'concave', 'zoom'] as const;
export const aspects = { '16:9': { width: 1280, height: 720 }, '4:3': { width: 1024, height: 768 } } as const;
type Aspect = keyof typeof aspects;

/** Reveal.js options a deck may pass through, checked by name and type. */
export const revealOptionsSchema = z
  .object({
    controls: z.boolean(),
    controlsTutorial: z.boolean(),
    controlsLayout: z.enum(['edges', 'bottom-right']),
    controlsBackArrows: z.enum(['faded', 'hidden', 'visible']),
    progress: z.boolean(),
    center: z.boolean(),
    hash: z.boolean(),
    history: z.boolean(),
    keyboard: z.boolean(),
    overview: z.boolean(),
    touch: z.boolean(),
    loop: z.boolean(),
    rtl: z.boolean(),
    navigationMode: z.enum(['default', 'linear', 'grid']),
    shuffle: z.boolean(),
    fragments: z.boolean(),
    fragmentInURL: z.boolean(),
    showNotes: z.boolean(),
    autoPlayMedia: z.boolean().nullable(),
    autoSlide: z.number().int().min(0),
    autoSlideStoppable: z.boolean(),
    mouseWheel: z.boolean(),
    previewLinks: z.boolean(),
    transitionSpeed: z.enum(['default', 'fast', 'slow']),
    backgroundTransition: z.enum(transitions),
    viewDistance: z.number().int().min(1),
    mobileViewDistance: z.number().int().min(1),
    margin: z.number().min(0).max(1),
    minScale: z.number().positive(),
    maxScale: z.number().positive(),
    disableLayout: z.boolean(),
    hideInactiveCursor: z.boolean(),
    hideCursorTime: z.number().int().min(0),
    pdfMaxPagesPerSlide: z.number().int().min(1),
    pdfSeparateFragments: z.boolean(),
    showSlideNumber: z.enum(['all', 'print', 'speaker']),
    /** The speaker view's pacing timer: the talk's length, a slide's default, and the least a slide may get. */
    totalTime: duration,
    defaultTiming: duration,
    minimumTimePerSlide: duration,
  })
  .partial()
  .strict();

const deckFields = {
  title: text,
  subtitle: text,
  author: text,
  date: text,
  keywords: z.union([
    z.array(text),
    z.string().transform((value) =>
      value
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ]),
  lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en or pt-BR'),
  template: z.string().min(1),
  slideLevel: z.number().int().min(1).max(6),
  aspect: z.enum(Object.keys(aspects) as [Aspect, ...Aspect[]]),
  transition: z.enum(transitions),
  slideNumber: z.union([z.boolean(), z.enum(['h.v', 'h/v', 'c', 'c/t'])]),
  verticalSections: z.boolean(),
  /**
   * How the next-slide keys move: `linear` walks every slide and fragment in order, vertical
   * ones included (→, Space, PageDown, a clicker); `grid` is Reveal.js's two directions.
   */
  navigation: z.enum(['linear', 'grid']),
  html: z.enum(['safe', 'unsafe']),
  reveal: revealOptionsSchema,
  /** Values for the theme variables the deck's template declares (checked against it later). */
  theme: z.record(z.string(), text),
  /** Severities and limits of the check rules (src/check/rules.ts), rule by rule. */
  checks: checksSchema,
  /** Which tool's rules the deck is written in (detected from the file when not given). */
  dialect: z.enum(['lectern', 'reveal-md', 'pandoc', 'quarto', 'marp', 'slidev']),
  /** Whether a title slide is made from `title:` (default: as the deck's dialect does). */
  titleSlide: z.boolean(),
  /** What a remote image becomes: downloaded into the deck, kept as a link, or an error. */
  remote: z.enum(['download', 'link', 'error']),
  /** reveal-md's slide separators, as regular expressions (reveal-md dialect). */
  separator: regex,
  verticalSeparator: regex,
  notesSeparator: regex,
  /** Stylesheets in the deck's folder (or the project) linked after the template's. */
  css: z.union([
    z
      .string()
      .min(1)
      .transform((s) => [s]),
    z.array(z.string().min(1)),
  ]),
  /** Affiliations shown under the author on the title slide. */
  institute: text,
  /** Lists reveal their items one at a time. */
  incremental: z.boolean(),
  /**
   * Pandoc decks made with `-t html5 --section-divs`: every heading opens a section, the top
   * two levels are slides and their stacks, and a rule is only a rule.
   */
  sectionDivs: z.boolean(),
  /** `shrink`: a slide's text that overflows is scaled down until it fits (a slide may say `none`). */
  fit: z.enum(['none', 'shrink']),
};

/** One layer of deck options: any subset, unknown keys refused. */
export const deckLayerSchema = z.object(deckFields).partial().strict();
export type DeckLayer = z.infer<typeof deckLayerSchema>;

export const deckDefaults = {
  lang: 'en',
  template: 'default',
  slideLevel: 2,
  aspect: '16:9',
  transition: 'slide',
  slideNumber: false,
  verticalSections: true,
  navigation: 'linear',
  html: 'safe',
  reveal: {},
  theme: {},
  checks: {},
  remote: 'download',
} as const satisfies DeckLayer;

type Defaulted = keyof typeof deckDefaults;
/** Deck options after every layer is merged: defaulted keys are always present. */
export type DeckOptions = Required<Pick<DeckLayer, Defaulted>> & Omit<DeckLayer, Defaulted>;

/** The project config file: where decks live, where output goes, and deck option defaults. */
export const projectConfigSchema = deckLayerSchema
  .extend({
    decks: z.string().min(1),
    out: z.string().min(1),
    /** A running browser to print and check in (`ws://…`), as `--browser-ws` gives it. */
    /** What `lectern build` makes of every deck: its page always, and its PDF and slide pictures. */
    formats: z
      .array(z.enum(['html', 'pdf', 'pdf-notes', 'pdf-fragments', 'handout', 'png', 'pptx', 'single-file']))
      .min(1),
    /** Slides a handout sheet holds (`formats: [handout]`, `--handout`): 2, 3 (with notes) or 6. */
    handout: z.union([z.literal(2), z.literal(3), z.literal(6)]),
    /** The handout's paper; without it, each deck's `lang` decides (letter for en-US, A4 for fr…). */
    paper: z.enum(['a4', 'letter']),
    browserWs: z.string().regex(/^wss?:\/\/\S+$/, 'a DevTools WebSocket URL, ws://host:port/devtools/browser/…'),
    /** Hosts and address ranges build-time downloads may reach beyond public addresses. */
    remoteHosts: z.array(
      z.string().superRefine((entry, ctx) => {
        const problem = allowedHostProblem(entry);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    ),
  })
  .partial()
  .strict();
export type ProjectConfigLayer = z.infer<typeof projectConfigSchema>;

export const projectDefaults = { decks: 'decks', out: 'dist' } as const;

/** Merges layers lowest first; `reveal` options, `theme` values and `checks` merge key by key. */
export function mergeDeckOptions(...layers: DeckLayer[]): DeckOptions {
  const merged: DeckLayer = { ...deckDefaults, reveal: {}, theme: {}, checks: {} };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      if (key === 'reveal') merged.reveal = { ...merged.reveal, ...(value as DeckLayer['reveal']) };
      else if (key === 'theme') merged.theme = { ...merged.theme, ...(value as DeckLayer['theme']) };
      else if (key === 'checks') merged.checks = mergeChecks(merged.checks ?? {}, value as ChecksLayer);
      else (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged as DeckOptions;
}
