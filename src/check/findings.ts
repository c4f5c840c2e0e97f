import type { SourcePos, Finding } from '../errors.js';
import { clippedName, clippedHint } from '../browser/measure-slide.js';
import { formatBytes } from '../shown.js';
import type { DeckObservations, GlyphsSeen } from './observations.js';
import type { AssetRef, Deck } from '../model/types.js';
import { ignoredAt, slideName } from './content.js';
import { resolveRules, type RuleName } from '../config/check-rules.js';

/** Which Lectern rule each axe-core rule reports under. */
const axeRules: Record<string, RuleName> = {
  'image-alt': 'image-alt',
  'role-img-alt': 'image-alt',
  'svg-img-alt': 'image-alt',
  'input-image-alt': 'image-alt',
  'object-alt': 'image-alt',
  'color-contrast': 'color-contrast',
  'html-has-lang': 'lang',
  'html-lang-valid': 'lang',
};

/** The axe-core rules worth running for a deck: those whose Lectern rule is not off. */
export function axeRulesFor(deck: Deck): { slide: string[]; page: string[] } {
  const active = resolveRules(deck.options.checks);
  const on = Object.keys(axeRules).filter((id) => active[axeRules[id]!].severity !== 'off');
  return { slide: on.filter((id) => axeRules[id] !== 'lang'), page: on.filter((id) => axeRules[id] === 'lang') };
}

/** Images smaller than this many pixels are never called oversized: the waste is too small to matter. */
const SMALL_IMAGE = 250_000;

/**
 * Turns what the browser saw into findings at the deck's source lines. Pure: `bytesOf` says how
 * large a deck file is, by the path the page loaded it from.
 */
export function browserFindings(
  deck: Deck,
  seen: DeckObservations,
  bytesOf: (src: string) => number | undefined,
  assets: AssetRef[] = deck.assets,
): Finding[] {
  const active = resolveRules(deck.options.checks);
  const slides = deck.stacks.flatMap((s) => s.slides);
  const findings: Finding[] = [];
  const keys = new Set<string>();
  const ignored = ignoredAt(slides);
  const report = (rule: RuleName, pos: SourcePos, message: string, hint: string): void => {
    const { severity, code } = active[rule];
    const key = `${rule}|${pos.line}|${pos.column}|${message}`;
    if (severity === 'off' || keys.has(key) || ignored(rule, pos.line)) return;
    keys.add(key);
    findings.push({ code, rule, severity, message, pos, hint });
  };
  const slidePos = (index: number | null): SourcePos =>
    index === null ? { file: deck.file, line: 1, column: 1 } : (slides[index]?.pos ?? { file: deck.file });
  const nameOf = (index: number): string => slideName(slides[index] ?? {}, index);
  // An image is reported where the deck names it, when it does.
  const imagePos = (src: string, slide: number | null): SourcePos =>
    assets.find((a) => a.url === src)?.pos ?? slidePos(slide);

  const at = (line: number | null, slide: number | null): SourcePos =>
    line === null ? slidePos(slide) : { file: deck.file, line, column: 1 };
  for (const o of seen.overflows) {
    const percent = Math.round((o.by / o.size) * 100);
    const by = Math.round(o.by);
    const when = o.fragment >= 0 ? ` from fragment ${o.fragment + 1} of ${o.fragments} on` : '';
    if (o.kind === 'slide') {
      const from = o.line !== null ? `: line ${o.line} on is off the slide` : '';
      report(
        'slide-overflow',
        slidePos(o.slide),
        `${nameOf(o.slide)} overflows ${o.axis === 'width' ? 'sideways ' : ''}by ${by}px (${percent}%)${when}${from}`,
        'split the slide with a `---` line, shorten it, or choose a roomier layout with <!-- layout: name -->',
      );
    } else {
      // A clipped block is pointed at where it is written.
      report(
        'slide-overflow',
        at(o.line, o.slide),
        `${nameOf(o.slide)}: ${clippedName(o.element)} is cut off by ${by}px ${o.axis === 'width' ? 'sideways' : 'at the bottom'} (${percent}%)${when}${linesShown(o.lines)}; it scrolls on screen and is clipped in the PDF`,
        clippedHint(o.element, o.axis),
      );
    }
  }

  const contrast = new Map<string, { slides: number[]; finding: { pos: SourcePos; message: string } }>();
  const altReported = new Set(deck.assets.filter((a) => a.altMissing).map((a) => a.url));
  for (const a of seen.axe) {
    const rule = axeRules[a.rule];
    if (!rule) continue;
    const where = a.slide === null ? 'the page' : nameOf(a.slide);
    if (rule === 'image-alt') {
      if (a.src !== undefined && altReported.has(a.src)) continue;
      report(
        'image-alt',
        a.src ? imagePos(a.src, a.slide) : slidePos(a.slide),
        `${where}: ${a.src ? `image "${a.src}"` : `"${a.snippet}"`} has no alternative text`,
        'give images an alt text that says what they show; alt="" marks one as decorative',
      );
    } else if (rule === 'color-contrast') {
      if (a.slide !== null && slides[a.slide]?.checksOff?.includes(rule)) continue;
      // One theme colour usually fails on every slide: one finding per colour pair, at its first slide.
      const colours =
        /contrast of ([\d.]+) \(foreground color: (#[0-9a-f]+), background color: (#[0-9a-f]+).*Expected contrast ratio of ([\d.]+:1)/i.exec(
          a.message,
        );
      const key = colours ? `${colours[2]}|${colours[3]}|${colours[4]}` : `${a.message}|${a.slide}`;
      const earlier = contrast.get(key);
      if (earlier) {
        if (a.slide !== null && !earlier.slides.includes(a.slide + 1)) earlier.slides.push(a.slide + 1);
        continue;
      }
      const text = colours
        ? `contrast ${colours[1]}:1 (${colours[2]} on ${colours[3]}), below the ${colours[4]} WCAG AA asks for`
        : a.message.replace(/\.$/, '');
      contrast.set(key, {
        slides: a.slide === null ? [] : [a.slide + 1],
        finding: { pos: at(a.line, a.slide), message: `${where}: "${a.snippet}" has ${text}` },
      });
    } else {
      report(
        'lang',
        slidePos(null),
        `the page has no valid lang attribute: ${a.message.replace(/\.$/, '')}`,
        'set `lang:` in front matter; a template\'s layout.hbs must write <html lang="{{deck.meta.lang}}">',
      );
    }
  }

  for (const { slides: on, finding } of contrast.values()) {
    const also = on.slice(1);
    const more = also.length
      ? ` (also on slide${also.length === 1 ? '' : 's'} ${also.length > 6 ? `${also.slice(0, 6).join(', ')} and ${also.length - 6} more` : also.join(', ')})`
      : '';
    report(
      'color-contrast',
      finding.pos,
      `${finding.message}${more}`,
      "raise the contrast of the theme colours (theme: in front matter, or the template's CSS): WCAG AA asks for 4.5:1 for text, 3:1 for large text",
    );
  }

  for (const h of seen.headings) {
    report(
      'heading-order',
      at(h.to.line, h.slide),
      `${nameOf(h.slide)}: heading jumps from h${h.from.level} "${h.from.text}" to h${h.to.level} "${h.to.text}"`,
      `use h${h.from.level + 1} (${'#'.repeat(h.from.level + 1)}) here, or style the text instead of skipping a level`,
    );
  }

  for (const s of seen.shrunk ?? []) {
    const percent = Math.round(s.scale * 100);
    if (percent >= active['fit-shrink'].limit) continue;
    report(
      'fit-shrink',
      slidePos(s.slide),
      `${nameOf(s.slide)} is shrunk to ${percent}% of its size to fit (the limit is ${active['fit-shrink'].limit}%)`,
      'nobody reads text that small from the back of the room: split the slide with a `---` line, or move text into the notes',
    );
  }

  for (const g of seen.glyphs ?? []) {
    const { message, hint } = missingGlyphs(g, nameOf(g.slide));
    report('missing-glyphs', at(g.line, g.slide), message, hint);
  }

  for (const img of seen.images) {
    const pos = imagePos(img.src, img.slide);
    if (img.broken) {
      report(
        'image-broken',
        pos,
        `${nameOf(img.slide)}: image "${img.src}" does not load`,
        'check that the file is a PNG, JPEG, GIF, WebP, AVIF or SVG image and not damaged',
      );
      continue;
    }
    const { natural, shown } = img;
    if (
      shown.width < 1 ||
      shown.height < 1 ||
      /\.svgz?$/i.test(img.src.replace(/[?#].*$/, '')) ||
      natural.width * natural.height < SMALL_IMAGE
    )
      continue;
    const ratio = Math.min(natural.width / shown.width, natural.height / shown.height);
    if (ratio <= active['image-oversized'].limit) continue;
    const bytes = bytesOf(img.src);
    const size = bytes === undefined ? '' : ` (${formatBytes(bytes)})`;
    report(
      'image-oversized',
      pos,
      `${nameOf(img.slide)}: image "${img.src}" is ${natural.width}×${natural.height} px${size} but shown at ${Math.round(shown.width)}×${Math.round(shown.height)} (${ratio.toFixed(1)}× larger than needed)`,
      `scale it to about ${Math.round(shown.width * 2)}×${Math.round(shown.height * 2)} px: twice the shown size stays sharp on high-density screens`,
    );
  }
  return findings;
}

/** The finding for characters no font draws on a slide: `check` and the PDF export say it alike. */
export function missingGlyphs(g: GlyphsSeen, slideName: string): { message: string; hint: string } {
  const code = (c: string) => `${c} U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  const more = g.chars.length > 12 ? ` and ${g.chars.length - 12} more` : '';
  return {
    message: `${slideName}: no font draws ${g.chars.slice(0, 12).map(code).join(', ')}${more}; they show as boxes (fonts: ${g.fonts})`,
    hint: glyphFix(g.chars),
  };
}

/** What to install (Debian's packages) or name in the template for the characters missing. */
function glyphFix(chars: string[]): string {
  const packages = new Set<string>();
  for (const c of chars) {
    if (/\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(c)) packages.add('fonts-noto-color-emoji');
    else if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u.test(c))
      packages.add('fonts-noto-cjk');
    else packages.add('fonts-noto-core');
  }
  return `install fonts that have them (Debian: apt-get install ${[...packages].sort().join(' ')}), or add such a font to the template's font stack`;
}

/** How much of a code block cut off at its foot shows, at the smallest size code is set in. */
export function linesShown(lines: { shown: number; total: number } | undefined): string {
  return lines && lines.shown < lines.total
    ? `: ${lines.shown} of its ${lines.total} lines fit, at the smallest size code is set in`
    : '';
}
