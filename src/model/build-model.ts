import { Lexer, type Token, type Tokens } from 'marked';
import { parseDuration } from '../config/duration.js';
import { ruleNames } from '../config/check-rules.js';
import { aspects, type DeckOptions } from '../config/schema.js';
import { append, DeckError, DeckErrors, type SourcePos, type Finding } from '../errors.js';
import { markdownOptionsFor } from '../outline/extensions.js';
import type { LinedToken } from '../outline/lex.js';
import type { OutlineSlide } from '../outline/parse-outline.js';
import { finishHtml, htmlText, type MediaRewrite } from './html-dom.js';
import { inferLayout, isVisible } from './layout.js';
import { escapeHtml } from '../html.js';
import { didYouMean } from '../suggest.js';
import {
  type DiagramLookup,
  footnoteDefinitions,
  renderFootnotes,
  renderInline,
  renderState,
  renderTokens,
  scanTokens,
} from './markdown.js';
import type { AssetRef, Deck, Slide, Stack } from './types.js';

export interface ModelInput {
  name: string;
  file: string;
  options: DeckOptions;
  slides: OutlineSlide[];
  /** Layout names the deck's template offers; a chosen layout must be one of them. */
  layouts: readonly string[];
  /** Whether `title:` makes a title slide (Lectern and Pandoc do; reveal-md and Marp do not). */
  titleSlide?: boolean;
  /** Given every file the slides load, says what each becomes in the built deck. */
  media?: (assets: AssetRef[]) => MediaRewrite;
  /** The diagrams drawn so far (by an earlier build, or this one's browser). */
  diagrams?: DiagramLookup;
}

type SlideDraft = Omit<Slide, 'h' | 'v'> & {
  start: OutlineSlide['start'];
  mathClasses?: Set<string>;
  stack?: OutlineSlide['stack'];
  section: boolean;
  removed: string[];
};

/** Outline slides + merged options -> the Deck model. Pure; throws DeckError on bad content. */
export function buildModel(input: ModelInput): Deck {
  const { file, options } = input;
  const unsafe = options.html === 'unsafe';
  const warnings: Finding[] = [];
  const assets: AssetRef[] = [];
  const links: AssetRef[] = [];

  // A footnote may be defined on any slide, as in a document (Pandoc, Quarto, markdown-it).
  const deckNotes = footnoteDefinitions(input.slides.flatMap((raw) => raw.columnTokens.flat()));
  const scans = input.slides.map((raw) =>
    withinStack(
      () =>
        scanTokens([...raw.columnTokens.flat(), ...(raw.noteTokens ?? [])], file, unsafe, input.diagrams, deckNotes),
      {
        file,
        line: raw.line,
        column: 1,
      },
    ),
  );
  const media = input.media?.(scans.flatMap((scan) => scan.assets));
  // Every slide's problems are collected, so one run reports them all.
  const errors: DeckError[] = [];
  const drafts = input.slides.flatMap((raw, i) => {
    const scan = scans[i]!;
    let draft: SlideDraft;
    try {
      draft = withinStack(() => draftSlide(raw, input, unsafe, media, deckNotes), { file, line: raw.line, column: 1 });
    } catch (err) {
      if (!(err instanceof DeckError)) throw err;
      errors.push(err);
      return [];
    }
    append(warnings, scan.warnings);
    if (draft.removed.length > 0 && scan.warnings.length === 0) {
      // The tree pass removed something the token scan could not place: say so at the slide.
      warnings.push({
        code: 'HTML_REMOVED',
        message: `removed ${draft.removed.join(', ')}`,
        pos: draft.pos,
        hint: 'set `html: unsafe` for decks you trust',
      });
    }
    append(assets, scan.assets);
    append(links, scan.links);
    return [draft];
  });
  if (errors.length) throw errors.length === 1 ? errors[0]! : new DeckErrors(errors);

  const title = options.title ?? drafts.find((d) => d.titleText)?.titleText ?? input.name;
  const meta = {
    title,
    subtitle: options.subtitle ?? '',
    author: options.author ?? '',
    institute: options.institute ?? '',
    date: options.date ?? '',
    lang: options.lang,
  };
  if (options.title !== undefined && (input.titleSlide ?? true)) {
    drafts.unshift({
      start: 'horizontal',
      stack: 'new',
      section: false,
      layout: 'title',
      layoutChosen: false,
      title: escapeHtml(meta.title),
      titleText: meta.title,
      body: '',
      columns: [''],
      notes: '',
      fragments: 0,
      attributes: {},
      pos: { file, line: 1, column: 1 },
      removed: [],
    });
  }
  if (drafts.length === 0) {
    throw new DeckError('DECK_EMPTY', 'the deck has no slides', {
      pos: { file, line: 1, column: 1 },
      hint: 'start a slide with a `## Heading` line, or give the deck a `title:` in front matter',
    });
  }

  const math = new Set(drafts.flatMap((d) => [...(d.mathClasses ?? [])]));
  const stacks = stackSlides(drafts, options.verticalSections);
  const { width, height } = aspects[options.aspect];
  return {
    name: input.name,
    file,
    meta,
    options,
    width,
    height,
    stacks,
    slideCount: drafts.length,
    assets,
    links,
    warnings,
    ...(math.size ? { mathClasses: [...math].sort() } : {}),
    ...(scans.some((scan) => scan.diagrams.length) ? { diagrams: scans.flatMap((scan) => scan.diagrams) } : {}),
  };
}

/** A slide too deeply nested for the recursive HTML passes is an error at the slide, never a crash. */
function withinStack<T>(work: () => T, pos: SourcePos): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new DeckError('MARKDOWN_TOO_DEEP', 'this slide nests too deeply to process', {
      pos,
      hint: 'flatten nested lists, quotes or HTML',
      cause: err,
    });
  }
}

function draftSlide(
  raw: OutlineSlide,
  input: ModelInput,
  unsafe: boolean,
  media?: MediaRewrite,
  deckNotes?: ReadonlyMap<string, Token[]>,
): SlideDraft {
  const file = raw.file ?? input.file;
  const pos = { file, line: raw.line, column: 1 };
  const columnTokens = raw.columnTokens.map((tokens) => [...tokens]);
  const first = columnTokens[0]!;
  // Footnote ids carry the slide's line: unique in the deck.
  const state = renderState(columnTokens.flat(), `s${raw.line}`, input.diagrams, deckNotes);
  let title = '';
  let titleText = '';
  const headingAt = first.findIndex(isVisible);
  const heading = first[headingAt];
  if (
    raw.headingDepth !== undefined &&
    heading?.type === 'heading' &&
    (raw.stack === undefined || (heading as Tokens.Heading).depth === raw.headingDepth)
  ) {
    title = finishHtml(
      renderInline((heading as Tokens.Heading).tokens, state),
      unsafe,
      false,
      undefined,
      state.pieces,
    ).html.trim();
    titleText = htmlText(title);
    first.splice(headingAt, 1);
  }
  const section =
    raw.stack !== undefined
      ? raw.section === true
      : raw.headingDepth !== undefined && raw.headingDepth < input.options.slideLevel;

  const attributes: Record<string, string> = {};
  const removed: string[] = [];
  let fragments = 0;
  const columns = columnTokens.map((tokens) => {
    const done = finishHtml(renderTokens(tokens, state), unsafe, false, media, state.pieces);
    Object.assign(attributes, done.slideAttributes);
    fragments += done.fragments;
    append(removed, done.removed);
    return done.html;
  });
  const footnotesHtml = renderFootnotes(state);
  const footnotes = footnotesHtml ? finishHtml(footnotesHtml, unsafe, false, media, state.pieces) : null;
  append(removed, footnotes?.removed ?? []);
  const notesState = raw.noteTokens ? renderState(raw.noteTokens, `n${raw.line}`) : null;
  const notesDone =
    raw.noteTokens && notesState
      ? finishHtml(
          renderTokens(raw.noteTokens, notesState) + renderFootnotes(notesState),
          unsafe,
          false,
          media,
          notesState.pieces,
        )
      : null;
  removed.push(...(notesDone?.removed ?? []));
  const notes = notesDone?.html ?? '';
  for (const name of notesState?.mathClasses ?? []) state.mathClasses.add(name);

  const columnWidths = raw.columnWidths ? widthsOf(raw.columnWidths, columns.length, input.file) : undefined;
  let layout = inferLayout(columnTokens.flat() as LinedToken[], columns.length, section);
  // A template need not offer every inferred layout: bullets is the general-purpose one.
  if (!input.layouts.includes(layout) && input.layouts.includes('bullets')) layout = 'bullets';
  if (raw.layout?.mapped && !input.layouts.includes(raw.layout.name)) {
    // Another tool's layout the template does not have: the content decides, as without it.
  } else if (raw.layout) {
    if (!input.layouts.includes(raw.layout.name)) {
      throw new DeckError(
        'LAYOUT_UNKNOWN',
        `unknown layout "${raw.layout.name}"${didYouMean(raw.layout.name, input.layouts)}`,
        {
          pos: { file, line: raw.layout.line, column: raw.layout.column },
          hint: `layouts in this template: ${input.layouts.join(', ')}`,
        },
      );
    }
    layout = raw.layout.name;
  }

  if (raw.fit && raw.fit.value !== 'shrink' && raw.fit.value !== 'none') {
    throw new DeckError(
      'DIRECTIVE_INVALID',
      `unknown fit "${raw.fit.value}"${didYouMean(raw.fit.value, ['shrink', 'none'])}`,
      {
        pos: { file, line: raw.fit.line, column: raw.fit.column },
        hint: '<!-- fit: shrink --> scales the text down until it fits; <!-- fit: none --> leaves it as it is',
      },
    );
  }
  // Scaled down in the browser until it fits, by the script the deck then carries (fit.js).
  if ((raw.fit?.value ?? input.options.fit) === 'shrink' && !section && layout !== 'image')
    attributes['data-fit'] = 'shrink';

  if (raw.timing) {
    const seconds = parseDuration(raw.timing.value);
    if (seconds === undefined || seconds === 0) {
      throw new DeckError('DIRECTIVE_INVALID', `"Time: ${raw.timing.value}" is not a duration`, {
        pos: { file, line: raw.timing.line, column: raw.timing.column },
        hint: 'write how long the slide takes, such as Time: 2m, Time: 90s or Time: 1:30',
      });
    }
    // Reveal.js's speaker view paces the talk by each slide's data-timing, in seconds.
    attributes['data-timing'] = String(seconds);
  }

  const checksOff = raw.checkIgnore?.rules;
  for (const rule of checksOff ?? []) {
    if (!(ruleNames as readonly string[]).includes(rule)) {
      throw new DeckError(
        'DIRECTIVE_INVALID',
        `unknown check rule "${rule}" in check-ignore${didYouMean(rule, ruleNames)}`,
        {
          pos: { file, line: raw.checkIgnore!.line, column: raw.checkIgnore!.column },
          hint: `rules: ${ruleNames.join(', ')}`,
        },
      );
    }
  }

  return {
    start: raw.start,
    ...(raw.stack ? { stack: raw.stack } : {}),
    ...(raw.chrome ? { chrome: chromeHtml(raw.chrome, unsafe) } : {}),
    section,
    layout,
    layoutChosen: raw.layout !== undefined,
    title,
    titleText,
    body: columns.join('\n'),
    columns,
    ...(columnWidths ? { columnWidths } : {}),
    notes: notes.trim(),
    ...(footnotes ? { footnotes: footnotes.html } : {}),
    ...(state.mathClasses.size ? { mathClasses: state.mathClasses } : {}),
    fragments,
    attributes,
    ...(checksOff?.length ? { checksOff } : {}),
    pos,
    removed,
  };
}

/**
 * The share of the slide's width each column takes, in percent: the widths the markers gave, and
 * what is left split evenly between the others.
 */
function widthsOf(given: NonNullable<OutlineSlide['columnWidths']>, count: number, file: string): number[] {
  const widths: (number | undefined)[] = [];
  for (let i = 0; i < count; i++) {
    const width = given[i];
    if (!width) continue;
    const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(width.text.trim());
    if (!m || Number(m[1]) <= 0 || Number(m[1]) > 100) {
      throw new DeckError('DIRECTIVE_INVALID', `"${width.text}" is no column width`, {
        pos: { file, line: width.line, column: width.column },
        hint: 'give the share of the slide the column takes, between 1% and 100%: <!-- column: 40% -->',
      });
    }
    widths[i] = Number(m[1]);
  }
  const set = widths.filter((w): w is number => w !== undefined);
  const rest = count - set.length;
  const share = rest > 0 ? Math.max(5, (100 - set.reduce((a, b) => a + b, 0)) / rest) : 0;
  return Array.from({ length: count }, (_, i) => Math.round((widths[i] ?? share) * 100) / 100);
}

/** Marp's header and footer are Markdown: rendered inline, and sanitised like the slide. */
function chromeHtml(chrome: NonNullable<OutlineSlide['chrome']>, unsafe: boolean): NonNullable<Slide['chrome']> {
  // Markdown only: raw HTML in a header is shown as text, as Marp does without its html option.
  const inline = (text: string) => {
    const state = renderState([], 'chrome');
    const tokens = new Lexer(markdownOptionsFor(text)).inlineTokens(text.replace(/</g, '&lt;'));
    return finishHtml(renderInline(tokens, state), unsafe, false, undefined, state.pieces).html.trim();
  };
  return {
    ...(chrome.header !== undefined ? { header: inline(chrome.header) } : {}),
    ...(chrome.footer !== undefined ? { footer: inline(chrome.footer) } : {}),
    ...(chrome.paginate ? { paginate: true } : {}),
  };
}

/**
 * Groups slides into horizontal stacks: a section heading opens a stack its slides join (when
 * sections are vertical), `----` joins the stack above, and `---` always opens a new one.
 */
function stackSlides(drafts: SlideDraft[], verticalSections: boolean): Stack[] {
  const stacks: Slide[][] = [];
  let inSection = false;
  for (const { start, stack, section, removed: _removed, mathClasses: _math, ...slide } of drafts) {
    const last = stacks[stacks.length - 1];
    if (stack !== undefined) {
      // The dialect said how the slide stacks.
      if (stack === 'join' && last) last.push(slide as Slide);
      else stacks.push([slide as Slide]);
      inSection = false;
    } else if (start === 'vertical' && last) {
      last.push(slide as Slide);
    } else if (section) {
      stacks.push([slide as Slide]);
      inSection = verticalSections;
    } else if (start === 'heading' && inSection && last) {
      last.push(slide as Slide);
    } else {
      stacks.push([slide as Slide]);
      if (start !== 'heading') inSection = false;
    }
  }
  return stacks.map((slides, h) => ({
    slides: slides.map((slide, v) => ({ ...slide, h, v })),
  }));
}
