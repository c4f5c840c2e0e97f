import { deckLayerSchema, type DeckLayer } from '../config/schema.js';
import { readYamlLayer } from '../config/yaml-layer.js';
import type { SourcePos } from '../errors.js';
import { splitFrontMatter } from './front-matter.js';
import { lexSegment, type LinedToken } from './lex.js';
import { splitSlides, type RawSlide } from './split.js';

/** A deck file after its front matter is read: options plus the Markdown body. */
export interface Outline {
  file: string;
  frontMatter: DeckLayer;
  /** Where a front-matter key was written (line 1 when there is no front matter). */
  locate: (path: (string | number)[]) => SourcePos;
  body: string;
  bodyLine: number;
}

/** A raw slide with its columns and notes lexed into tokens that know their lines. */
export interface OutlineSlide extends RawSlide {
  columnTokens: LinedToken[][];
  noteTokens?: LinedToken[];
}

/** Reads front matter (validated against the deck schema) off decoded deck text. Pure. */
export function parseOutline(text: string, file: string): Outline {
  const split = splitFrontMatter(text, file);
  const layer =
    split.yaml === null
      ? { value: {}, locate: () => ({ file, line: 1, column: 1 }) }
      : readYamlLayer({ text: split.yaml, file, firstLine: split.yamlLine }, deckLayerSchema, {
          syntax: 'FRONT_MATTER_SYNTAX',
          invalid: 'FRONT_MATTER_INVALID',
          unknownKey: 'FRONT_MATTER_UNKNOWN_KEY',
        });
  return { file, frontMatter: layer.value, locate: layer.locate, body: split.body, bodyLine: split.bodyLine };
}

/** Splits the body into slides at the given slide level and lexes each part. Pure. */
export function lexOutline(outline: Outline, slideLevel: number): OutlineSlide[] {
  return splitSlides(outline.body, outline.bodyLine, slideLevel).map((raw) => ({
    ...raw,
    columnTokens: raw.columns.map((segment) => lexSegment(segment, outline.file)),
    ...(raw.notes ? { noteTokens: lexSegment(raw.notes, outline.file) } : {}),
  }));
}
