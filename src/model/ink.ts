/**
 * Ink: what a speaker draws on slides during `lectern present`, kept per slide in a file beside
 * the deck (`<deck>.annotations.json`) and drawn into the PDF by `lectern pdf --annotations`.
 * Points are in the deck's own pixels (its width × height), so a stroke lands on the same spot of
 * the slide on any screen and on the printed page. Pure: reading, checking and writing the data.
 */

export type InkTool = 'pen' | 'highlighter';

export interface InkStroke {
  /** Unique within the file: how an eraser names the stroke it removes. */
  id: string;
  tool: InkTool;
  /** A CSS colour: `#rgb` or `#rrggbb`. */
  color: string;
  /** Line width in deck pixels. */
  width: number;
  /** [x, y] in deck pixels, at least one point. */
  points: [number, number][];
}

export interface InkFile {
  /** The deck's size the points are measured in. */
  width: number;
  height: number;
  /** Strokes by slide number, 1-based in reading order (the PDF's page of the slide). */
  slides: Record<string, InkStroke[]>;
}

/** The file beside a deck file that holds its ink: `talk.md` → `talk.annotations.json`. */
export function inkFileName(deckFileName: string): string {
  return `${deckFileName.replace(/\.(md|qmd|markdown)$/i, '')}.annotations.json`;
}

/** The most a file, a slide or a stroke may hold: a runaway client cannot fill the disk. */
export const inkLimits = {
  strokesPerSlide: 2000,
  pointsPerStroke: 5000,
  pointsPerSlide: 100_000,
  points: 1_000_000,
  slides: 5000,
} as const;

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One stroke as a client sent it, checked field by field; null if anything is off. Points are
 * rounded to a tenth of a pixel and kept inside a margin of one slide around it.
 */
export function parseStroke(value: unknown, width: number, height: number): InkStroke | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || !ID.test(v.id)) return null;
  if (v.tool !== 'pen' && v.tool !== 'highlighter') return null;
  if (typeof v.color !== 'string' || !COLOR.test(v.color)) return null;
  if (typeof v.width !== 'number' || !Number.isFinite(v.width) || v.width <= 0 || v.width > 200) return null;
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) return null;
  if (!Array.isArray(v.points) || v.points.length === 0 || v.points.length > inkLimits.pointsPerStroke) return null;
  const points: [number, number][] = [];
  for (const p of v.points) {
    if (!Array.isArray(p) || p.length !== 2) return null;
    const [x, y] = p as unknown[];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    const clamp = (n: number, size: number): number => Math.round(Math.min(2 * size, Math.max(-size, n)) * 10) / 10;
    points.push([clamp(x, width), clamp(y, height)]);
  }
  // The thinnest line kept is half a pixel: thinner would be written as nothing.
  return {
    id: v.id,
    tool: v.tool,
    color: v.color.toLowerCase(),
    width: Math.max(0.5, Math.round(v.width * 10) / 10),
    points,
  };
}

/**
 * A file's text read back: what is well formed is kept, anything else is left out and named in
 * `dropped` (a hand-edited file loses the broken stroke, not the talk's drawing).
 */
export function parseInkFile(text: string): { ink: InkFile; dropped: string[] } {
  const dropped: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {
      ink: { width: 0, height: 0, slides: {} },
      dropped: [`the whole file (not JSON: ${(err as Error).message})`],
    };
  }
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const size = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 100_000 ? v : 0);
  const width = size(d.width);
  const height = size(d.height);
  if (!width || !height) dropped.push('the whole file (no deck size: width and height)');
  const slides: Record<string, InkStroke[]> = {};
  const raw = (d.slides && typeof d.slides === 'object' ? d.slides : {}) as Record<string, unknown>;
  for (const [key, list] of Object.entries(raw).slice(0, inkLimits.slides)) {
    if (!/^[1-9]\d{0,5}$/.test(key) || !Array.isArray(list)) {
      dropped.push(`slide "${key}"`);
      continue;
    }
    const strokes: InkStroke[] = [];
    list.slice(0, inkLimits.strokesPerSlide).forEach((s, i) => {
      const stroke = width && height ? parseStroke(s, width, height) : null;
      if (stroke) strokes.push(stroke);
      else dropped.push(`stroke ${i + 1} of slide ${key}`);
    });
    if (strokes.length) slides[key] = strokes;
  }
  return { ink: { width, height, slides }, dropped };
}

/** At most `count` problems named, then how many more: a broken file does not flood the terminal. */
export function fewOf(problems: string[], count = 5): string[] {
  return problems.length <= count ? problems : [...problems.slice(0, count), `${problems.length - count} more`];
}

/** The file's text: stable key order, one stroke a line, for a readable diff. */
export function serializeInk(ink: InkFile): string {
  const keys = Object.keys(ink.slides)
    .filter((k) => ink.slides[k]!.length)
    .sort((a, b) => Number(a) - Number(b));
  const slides = keys.map(
    (k) => `    ${JSON.stringify(k)}: [\n${ink.slides[k]!.map((s) => `      ${JSON.stringify(s)}`).join(',\n')}\n    ]`,
  );
  return `{\n  "width": ${ink.width},\n  "height": ${ink.height},\n  "slides": {${slides.length ? `\n${slides.join(',\n')}\n  ` : ''}}\n}\n`;
}

/**
 * A stroke as SVG path data: a polyline through its points (a dot for a single point, drawn as a
 * zero-length line that the round cap makes visible).
 */
export function strokePath(stroke: Pick<InkStroke, 'points'>): string {
  const [first, ...rest] = stroke.points;
  if (!first) return '';
  const at = (p: [number, number]): string => `${p[0]} ${p[1]}`;
  return `M${at(first)}${rest.length ? rest.map((p) => ` L${at(p)}`).join('') : ` L${at(first)}`}`;
}

/** How a tool draws: the highlighter is a wide translucent marker under the pen. */
export const inkLook: Record<InkTool, { opacity: number }> = { pen: { opacity: 1 }, highlighter: { opacity: 0.4 } };
