/**
 * Which characters of a slide no font of its stack can draw. The page is given one more font,
 * last in every stack: a blank one that has every character, each as an empty glyph of a width
 * no real glyph has. A character the page's own fonts lack falls through to it, and measures at
 * that width.
 */

/** The blank font's family, and its glyphs' width in em. */
export const BLANK_FAMILY = 'LecternBlankProbe';
export const BLANK_ADVANCE_EM = 10.37;

/** What the probe finds on one slide. */
export interface GlyphsSeen {
  slide: number;
  /** The characters without a font, in the order they first appear. */
  chars: string[];
  /** The font stack of the first element that shows one of them, as the page computes it. */
  fonts: string;
  /** The source line of that element's block, when known. */
  line: number | null;
}

let font: Uint8Array | undefined;

/**
 * The blank font: a TrueType file of two empty glyphs, every character from U+0020 on mapped to
 * the second (cmap format 13, made for this). Built once, in memory; never written to a deck.
 */
export function blankFont(): Uint8Array {
  if (font) return font;
  const units = 1000;
  const advance = Math.round(BLANK_ADVANCE_EM * units);
  const be = (bytes: number[], size: number, value: number): void => {
    for (let i = size - 1; i >= 0; i--) bytes.push((value / 256 ** i) & 0xff);
  };
  const table = (build: (b: number[]) => void): number[] => {
    const b: number[] = [];
    build(b);
    return b;
  };
  const u16 = (b: number[], v: number) => be(b, 2, v < 0 ? v + 0x10000 : v);
  const u32 = (b: number[], v: number) => be(b, 4, v >>> 0);
  const head = table((b) => {
    u32(b, 0x00010000);
    u32(b, 0x00010000);
    u32(b, 0); // checkSumAdjustment, set below
    u32(b, 0x5f0f3cf5);
    u16(b, 0x000b);
    u16(b, units);
    for (let i = 0; i < 16; i++) b.push(0); // created, modified
    for (const v of [0, -200, advance, 800]) u16(b, v); // xMin yMin xMax yMax
    u16(b, 0); // macStyle
    u16(b, 8); // lowestRecPPEM
    u16(b, 2); // fontDirectionHint
    u16(b, 0); // indexToLocFormat: short
    u16(b, 0); // glyphDataFormat
  });
  const hhea = table((b) => {
    u32(b, 0x00010000);
    for (const v of [800, -200, 0, advance, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]) u16(b, v);
    u16(b, 2); // numberOfHMetrics
  });
  const maxp = table((b) => {
    u32(b, 0x00010000);
    u16(b, 2); // numGlyphs
    for (const v of [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]) u16(b, v);
  });
  const os2 = table((b) => {
    u16(b, 4); // version
    u16(b, advance); // xAvgCharWidth
    u16(b, 400);
    u16(b, 5);
    u16(b, 0); // fsType
    for (const v of [650, 600, 0, 75, 650, 600, 0, 350, 50, 250]) u16(b, v); // sub/superscript, strikeout
    u16(b, 0); // sFamilyClass
    for (let i = 0; i < 10; i++) b.push(0); // panose
    for (let i = 0; i < 4; i++) u32(b, 0xffffffff); // ulUnicodeRange
    for (const c of 'LECT') b.push(c.charCodeAt(0));
    u16(b, 0x0040); // fsSelection: regular
    u16(b, 0x0020); // usFirstCharIndex
    u16(b, 0xffff); // usLastCharIndex
    for (const v of [800, -200, 0, 800, 200]) u16(b, v); // typo ascender/descender/gap, win ascent/descent
    u32(b, 1); // ulCodePageRange1
    u32(b, 0);
    for (const v of [500, 700, 0, 32, 1]) u16(b, v); // xHeight capHeight defaultChar breakChar maxContext
  });
  const hmtx = table((b) => {
    for (let g = 0; g < 2; g++) {
      u16(b, advance);
      u16(b, 0);
    }
  });
  const cmap = table((b) => {
    // Format 13, every character one glyph: U+0020..U+D7FF and U+E000..U+10FFFF (no surrogates).
    const groups: [number, number][] = [
      [0x20, 0xd7ff],
      [0xe000, 0x10ffff],
    ];
    u16(b, 0); // version
    u16(b, 1); // numTables
    u16(b, 3);
    u16(b, 10);
    u32(b, 12); // offset of the subtable
    u16(b, 13);
    u16(b, 0);
    u32(b, 16 + groups.length * 12); // length
    u32(b, 0); // language
    u32(b, groups.length);
    for (const [start, end] of groups) {
      u32(b, start);
      u32(b, end);
      u32(b, 1);
    }
  });
  // .notdef has no data; the blank glyph is a glyph of no contour (a header and no instructions).
  const glyf = table((b) => {
    for (const v of [0, 0, 0, 0, 0, 0]) u16(b, v);
  });
  const loca = table((b) => {
    for (const v of [0, 0, glyf.length / 2]) u16(b, v);
  });
  const name = table((b) => {
    const names: [number, string][] = [
      [1, BLANK_FAMILY],
      [2, 'Regular'],
      [4, BLANK_FAMILY],
      [6, BLANK_FAMILY],
    ];
    const strings = names.map(([, s]) => [...s].flatMap((c) => [0, c.charCodeAt(0)]));
    u16(b, 0);
    u16(b, names.length);
    u16(b, 6 + names.length * 12);
    let offset = 0;
    names.forEach(([id], i) => {
      for (const v of [3, 1, 0x409, id, strings[i]!.length, offset]) u16(b, v);
      offset += strings[i]!.length;
    });
    for (const s of strings) b.push(...s);
  });
  const post = table((b) => {
    u32(b, 0x00030000);
    u32(b, 0); // italicAngle
    u16(b, -100);
    u16(b, 50);
    for (let i = 0; i < 5; i++) u32(b, 0);
  });
  const tables: [string, number[]][] = (
    [
      ['OS/2', os2],
      ['cmap', cmap],
      ['glyf', glyf],
      ['head', head],
      ['hhea', hhea],
      ['hmtx', hmtx],
      ['loca', loca],
      ['maxp', maxp],
      ['name', name],
      ['post', post],
    ] as [string, number[]][]
  ).sort(([a], [b]) => (a < b ? -1 : 1));
  const checksum = (bytes: number[]): number => {
    let sum = 0;
    for (let i = 0; i < bytes.length; i += 4)
      sum =
        (sum +
          (((bytes[i] ?? 0) << 24) |
            ((bytes[i + 1] ?? 0) << 16) |
            ((bytes[i + 2] ?? 0) << 8) |
            (bytes[i + 3] ?? 0))) >>>
        0;
    return sum;
  };
  const out: number[] = [];
  const count = tables.length;
  const power = 2 ** Math.floor(Math.log2(count));
  u32(out, 0x00010000);
  for (const v of [count, power * 16, Math.log2(power), count * 16 - power * 16]) u16(out, v);
  let offset = 12 + count * 16;
  const placed: number[] = [];
  for (const [tag, bytes] of tables) {
    for (const c of tag) out.push(c.charCodeAt(0));
    u32(out, checksum(bytes));
    u32(out, offset);
    u32(out, bytes.length);
    placed.push(offset);
    offset += Math.ceil(bytes.length / 4) * 4;
  }
  for (const [, bytes] of tables) {
    out.push(...bytes);
    while (out.length % 4) out.push(0);
  }
  // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
  const headAt = placed[tables.findIndex(([tag]) => tag === 'head')]!;
  const adjust = (0xb1b0afba - checksum(out)) >>> 0;
  for (let i = 0; i < 4; i++) out[headAt + 8 + i] = (adjust >>> (24 - i * 8)) & 0xff;
  font = Uint8Array.from(out);
  return font;
}

/**
 * Runs in the page once the blank font is loaded: every slide's visible characters, measured in
 * their element's font stack. A character the stack's named fonts lack is missing when the stack
 * names no generic family (`sans-serif`: let the system choose), and otherwise when the system's
 * choice draws it as the box a character no font has is drawn as. Self-contained, like
 * measureSlide.
 */
export function probeGlyphs(family: string, advanceEm: number): GlyphsSeen[] {
  const canvas = document.createElement('canvas');
  const size = 48;
  canvas.width = size * 3;
  canvas.height = size * 2;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const memo = new Map<string, boolean>();
  const boxes = new Map<string, string>();
  // Marks, format characters, spaces and controls draw nothing of their own.
  const skip = /[\p{M}\p{Cf}\p{Z}\p{Cc}\s]/u;
  const generic =
    /(^|,)\s*(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-serif|ui-sans-serif|ui-monospace|ui-rounded|math|emoji|fangsong)\s*(,|$)/i;
  const drawn = (font: string, char: string): string => {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.font = font;
    ctx.fillStyle = '#000';
    ctx.textBaseline = 'middle';
    ctx.fillText(char, size / 2, size);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    let hash = 0;
    for (let i = 3; i < pixels.length; i += 4) {
      sum += pixels[i]!;
      hash = (hash * 31 + pixels[i]! * (i + 1)) | 0;
    }
    return `${Math.round(ctx.measureText(char).width * 100)}|${sum}|${hash}`;
  };
  const missing = (char: string, style: CSSStyleDeclaration): boolean => {
    const key = `${style.fontStyle}|${style.fontWeight}|${style.fontFamily}|${char}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const font = `${style.fontStyle} ${style.fontWeight} ${size}px ${style.fontFamily}`;
    ctx.font = `${font}, "${family}"`;
    let gone = Math.abs(ctx.measureText(char).width - advanceEm * size) < 0.5;
    if (gone && generic.test(style.fontFamily)) {
      // The system may have a font for it: it does unless it draws the box of a character
      // that no font has (U+10FFFD, the last private-use one).
      const box = boxes.get(font) ?? drawn(font, '\u{10FFFD}');
      boxes.set(font, box);
      gone = drawn(font, char) === box;
    }
    memo.set(key, gone);
    return gone;
  };
  const out: GlyphsSeen[] = [];
  for (const section of Array.from(
    document.querySelectorAll<HTMLElement>('.reveal .slides section[data-lectern-slide]'),
  )) {
    const slide = Number(section.dataset.lecternSlide);
    const chars: string[] = [];
    let first: Element | null = null;
    const walker = document.createTreeWalker(section, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      // Plain ASCII is in every font a deck names: only the rest is measured.
      if (!/[^\u0000-\u007f]/.test(text)) continue;
      const el = node.parentElement;
      if (!el || el.closest('aside.notes, .katex-mathml')) continue;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') continue;
      for (const char of text) {
        if (char.charCodeAt(0) < 0x80 || skip.test(char) || chars.includes(char)) continue;
        if (missing(char, style)) {
          chars.push(char);
          first ??= el;
        }
      }
    }
    if (chars.length && first) {
      out.push({
        slide,
        chars,
        fonts: getComputedStyle(first).fontFamily,
        line: Number(first.closest('[data-line]')?.getAttribute('data-line')) || null,
      });
    }
  }
  return out;
}

/**
 * Runs in the page: adds the blank font to the page's fonts from its bytes (no request is made),
 * when the slides hold anything but ASCII; says whether it did (nothing to probe otherwise).
 */
export async function installBlankFont(base64: string, family: string): Promise<boolean> {
  const text = document.querySelector('.reveal .slides')?.textContent ?? '';
  if (!/[^\u0000-\u007f]/.test(text)) return false;
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const face = new FontFace(family, bytes);
  await face.load();
  document.fonts.add(face);
  return true;
}

/** The blank font's bytes as the page takes them. */
export function blankFontBase64(): string {
  return Buffer.from(blankFont()).toString('base64');
}
