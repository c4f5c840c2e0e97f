import { DeckError } from '../errors.js';

interface FrontMatterSplit {
  /** The YAML between the fences, or null when the file has no front matter. */
  yaml: string | null;
  /** File line on which the YAML starts. */
  yamlLine: number;
  body: string;
  /** File line on which the body starts. */
  bodyLine: number;
}

const OPEN = /^---[ \t]*$/;
const CODE_OPEN = /^---[ \t]*(js|javascript|coffee|coffeescript|json5?|toml)\b/i;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** Splits a `---` fenced YAML block off the top of a deck. Pure; text must use LF line ends. */
export function splitFrontMatter(text: string, file: string): FrontMatterSplit {
  const firstEnd = text.indexOf('\n');
  const first = firstEnd === -1 ? text : text.slice(0, firstEnd);
  if (CODE_OPEN.test(first)) {
    throw new DeckError('FRONT_MATTER_CODE', `front matter in "${first.slice(3).trim()}" is refused`, {
      pos: { file, line: 1, column: 4 },
      hint: 'write front matter as plain YAML between two `---` lines; Lectern never runs code from a deck',
    });
  }
  if (!OPEN.test(first) && !/^---yaml[ \t]*$/i.test(first)) {
    return { yaml: null, yamlLine: 1, body: text, bodyLine: 1 };
  }
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (CLOSE.test(lines[i]!)) {
      return {
        yaml: lines.slice(1, i).join('\n'),
        yamlLine: 2,
        body: lines.slice(i + 1).join('\n'),
        bodyLine: i + 2,
      };
    }
  }
  throw new DeckError('FRONT_MATTER_UNCLOSED', 'front matter opened with `---` is never closed', {
    pos: { file, line: 1, column: 1 },
    hint: 'add a `---` line after the last option',
  });
}
