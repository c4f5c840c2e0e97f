import { Parser as HtmlParser } from 'htmlparser2';
import type { SourcePos, Finding } from '../errors.js';
import type { Deck, Slide } from '../model/types.js';
import { resolveRules, type ActiveRule, type RuleName } from '../config/check-rules.js';
import { linkedFilePath, type LinkTarget } from '../assets/linked-files.js';

export type { LinkTarget } from '../assets/linked-files.js';

interface ContentCheckInput {
  deck: Deck;
  /** Resolves a local link (path relative to the deck file, query and hash removed). */
  linkTarget: (path: string) => LinkTarget;
}

/**
 * The rules that need only the deck model: empty and crowded slides, missing notes, duplicate
 * titles, links to slides and files that do not exist. Pure but for `linkTarget`.
 */
export function checkContent({ deck, linkTarget }: ContentCheckInput): Finding[] {
  const active = resolveRules(deck.options.checks);
  const findings: Finding[] = [];
  const slides = deck.stacks.flatMap((s) => s.slides);
  const ignored = ignoredAt(slides);
  const report = (rule: RuleName, pos: SourcePos, message: string, hint: string): void => {
    const { severity, code } = active[rule];
    if (severity !== 'off' && !ignored(rule, pos.line)) findings.push({ code, rule, severity, message, pos, hint });
  };
  const seen = new Map<string, Slide>();

  slides.forEach((slide, index) => {
    const name = slideName(slide, index);
    const backgrounded = Object.keys(slide.attributes).some((a) => a.startsWith('data-background'));
    if (!slide.title && !slide.body.trim() && slide.layout !== 'section' && !backgrounded) {
      report('slide-empty', slide.pos, `${name} is empty`, 'remove the extra separator, or give the slide content');
    }
    const text = measureText(`${slide.title}\n${slide.body}`);
    overLimit(active['max-bullets'], text.bullets, () =>
      report(
        'max-bullets',
        slide.pos,
        `${name} has ${text.bullets} list items (limit ${active['max-bullets'].limit})`,
        'split the list over two slides, or move detail into the speaker notes',
      ),
    );
    overLimit(active['max-words'], text.words, () =>
      report(
        'max-words',
        slide.pos,
        `${name} has ${text.words} words (limit ${active['max-words'].limit})`,
        'say it rather than show it: move sentences into the speaker notes',
      ),
    );
    if (!slide.notes && slide.layout !== 'title' && slide.layout !== 'section') {
      report(
        'notes-missing',
        slide.pos,
        `${name} has no speaker notes`,
        'add notes after a `Note:` line at the end of the slide',
      );
    }
    const key = slide.titleText.trim().toLowerCase();
    const first = key ? seen.get(key) : undefined;
    if (first) {
      report(
        'duplicate-title',
        slide.pos,
        `${name} has the same title as the slide at line ${first.pos.line}`,
        'give each slide its own title, so the outline, bookmarks and links can tell them apart',
      );
    } else if (key) {
      seen.set(key, slide);
    }
  });

  for (const image of deck.assets) {
    if (image.altMissing) {
      report(
        'image-alt',
        image.pos,
        `image "${image.url}" has no alternative text`,
        'say what it shows in the brackets, ![like this](file.png); for a purely decorative image write <img src="…" alt="">',
      );
    }
  }

  const ids = new Set(slides.map((s) => s.attributes.id).filter((id): id is string => Boolean(id)));
  for (const link of deck.links) {
    const url = link.url.trim();
    if (url.startsWith('#/')) {
      const problem = slideLinkProblem(url, deck, ids);
      if (problem) report('link-slide', link.pos, `link to ${url}: ${problem}`, slideLinkHint(ids));
      continue;
    }
    const local = linkedFilePath(url);
    if (local === null) continue;
    const target = local.startsWith('/') ? 'outside' : linkTarget(local);
    if (target === 'missing')
      report(
        'link-file',
        link.pos,
        `link to "${url}": no such file beside the deck`,
        'fix the path (it is relative to the deck file), or add the file',
      );
    if (target === 'folder')
      report(
        'link-file',
        link.pos,
        `link to "${url}" is a folder, and folders are not copied with the deck`,
        'link to a file (a .zip or an index.html inside the folder)',
      );
    if (target === 'outside')
      report(
        'link-file',
        link.pos,
        `link to "${url}" leaves the deck's folder and will not be in the built deck`,
        "keep linked files in the deck file's folder (or below it), they are copied with the deck; link another deck as ../name/",
      );
  }
  return findings;
}

/** Whether the slide holding a source line turned the rule off with `<!-- check-ignore: … -->`. */
export function ignoredAt(slides: Slide[]): (rule: RuleName, line: number | undefined) => boolean {
  // Looked up once per finding: the slides that turn rules off, by line, searched by halves.
  const holders = slides
    .map((slide, order) => ({ line: slide.pos.line ?? 0, order, off: slide.checksOff }))
    .sort((a, b) => a.line - b.line || a.order - b.order);
  if (!holders.some((h) => h.off?.length)) return () => false;
  return (rule, line) => {
    if (line === undefined) return false;
    let lo = 0;
    let hi = holders.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (holders[mid]!.line <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && (holders[found]!.off?.includes(rule) ?? false);
  };
}

function overLimit(rule: ActiveRule, value: number, report: () => void): void {
  if (rule.severity !== 'off' && value > rule.limit) report();
}

/** `slide 7 "Title"`: the number the speaker sees in the deck, and the title if there is one. */
export function slideName(slide: { titleText?: string; title?: string }, index: number): string {
  const title = slide.titleText ?? slide.title;
  return title ? `slide ${index + 1} "${title}"` : `slide ${index + 1}`;
}

/** List items and words as the audience sees them: code blocks are not counted as words. */
export function measureText(html: string): { bullets: number; words: number } {
  let bullets = 0;
  let words = 0;
  let inPre = 0;
  // Set math (KaTeX's elements, open inside it) is one word however it is drawn; an SVG none.
  let inMath = 0;
  const parser = new HtmlParser(
    {
      onopentag(name, attribs) {
        if (inMath > 0) {
          inMath++;
          return;
        }
        if (/(^|\s)katex(\s|$)/.test(attribs.class ?? '')) {
          inMath = 1;
          words++;
          return;
        }
        // A drawn diagram's labels are a picture's, not words to read off the slide.
        if (name === 'svg') {
          inMath = 1;
          return;
        }
        if (name === 'li') bullets++;
        if (name === 'pre') inPre++;
      },
      onclosetag(name) {
        if (inMath > 0) {
          inMath--;
          return;
        }
        if (name === 'pre') inPre--;
      },
      ontext(text) {
        if (inPre === 0 && inMath === 0) words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return { bullets, words };
}

/** Reveal reads `#/h`, `#/h/v`, `#/h/v/f` (0-based) or `#/id`. */
function slideLinkProblem(url: string, deck: Deck, ids: Set<string>): string | null {
  let target: string;
  try {
    target = decodeURIComponent(url.slice(2)).replace(/\/$/, '');
  } catch {
    return 'not a valid address';
  }
  if (target === '') return null;
  const indices = /^(\d+)(?:\/(\d+))?(?:\/(\d+))?$/.exec(target);
  if (!indices) {
    const id = target.split('/')[0]!;
    return ids.has(id) ? null : `no slide has the id "${id}"`;
  }
  const [h, v, f] = [Number(indices[1]), Number(indices[2] ?? 0), indices[3] === undefined ? -1 : Number(indices[3])];
  const stack = deck.stacks[h];
  if (!stack) return `the deck has ${deck.stacks.length} horizontal slides (0 to ${deck.stacks.length - 1})`;
  const slide = stack.slides[v];
  if (!slide)
    return `slide ${h} has ${stack.slides.length} vertical slide${stack.slides.length === 1 ? '' : 's'} (0 to ${stack.slides.length - 1})`;
  if (f >= slide.fragments) return `that slide has ${slide.fragments} fragment${slide.fragments === 1 ? '' : 's'}`;
  return null;
}

function slideLinkHint(ids: Set<string>): string {
  const known = [...ids].slice(0, 8).join(', ');
  return `slide links are #/h/v (0-based) or #/id, where a slide gets an id with <!-- .slide: id="name" -->${known ? `; ids in this deck: ${known}` : ''}`;
}
