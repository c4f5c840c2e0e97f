import { describe, expect, it } from 'vitest';
import { corpus, readCorpusDeck } from '../helpers/corpus.js';

/** Text of another tool's syntax that must never reach a slide as text. */
const leftovers = [
  [/(^|\n)\s*:{3,}/, 'a ::: fence'],
  [/(^|\n)\s*\. \. \.\s*(\n|$)/, 'a . . . pause'],
  [/\]\{[.#][^}]*\}/, 'a {.class} span'],
  [/\{[#.][\w-]+[^}]*\}\s*<\/h\d>/, 'heading attributes'],
  [/!\[bg\b/, 'a Marp ![bg] image'],
  [/<!--\s*_?(class|paginate|header|footer|backgroundColor)\s*:/, 'a Marp directive'],
  [/\{\{<[^>]*>\}\}/, 'a Quarto shortcode'],
  [/(^|\n)\s*notes?:/i, 'a Note: marker'],
] as const;

/** A slide's visible text outside code: what the audience reads. */
function prose(html: string): string {
  return html
    .replace(/<pre[\s\S]*?<\/pre>/g, '')
    .replace(/<code[\s\S]*?<\/code>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<');
}

describe('the dialect corpus', () => {
  it("has at least 40 decks in each of the tools' styles", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    for (const dialect of ['reveal-md', 'pandoc', 'quarto', 'marp', 'slidev'])
      expect(corpus.filter((d) => d.dialect === dialect).length).toBeGreaterThanOrEqual(4);
  });

  it.each(corpus.map((d) => [d.file, d] as const))('%s has the structure its author saw', (_file, expected) => {
    const { deck, options } = readCorpusDeck(expected.file);
    const slides = deck.stacks.flatMap((s) => s.slides);
    expect({
      total: slides.length,
      horizontal: deck.stacks.length,
      notes: slides.filter((s) => s.notes.trim() !== '').length,
    }).toEqual({
      total: expected.total,
      horizontal: expected.horizontal,
      notes: expected.notes,
    });
    const dialect = { 'revealjs-plugin': 'reveal-md' }[expected.dialect] ?? expected.dialect;
    expect(deck.options.dialect).toBe(expected.file === 'pandoc/rules-without-headings.md' ? 'reveal-md' : dialect);
    for (const slide of slides) {
      const text = prose(`${slide.title}\n${slide.body}`);
      for (const [pattern, what] of leftovers) {
        // A deck with its own notes separator may say "Note:" on a slide.
        if (what === 'a Note: marker' && options.notesSeparator) continue;
        expect(text, `${what} on slide ${slide.pos.line}`).not.toMatch(pattern);
      }
    }
  });
});
