import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** A grey image: one byte a pixel, row by row. */
export interface Grey {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Decodes an 8-bit PNG (grey, grey+alpha, RGB or RGBA, not interlaced) to grey, as Lectern and Chromium write them. */
export function greyOfPng(bytes: Uint8Array): Grey {
  const buf = Buffer.from(bytes);
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (at < buf.length) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const body = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const depth = body[8];
      const colour = body[9];
      if (depth !== 8 || body[12] !== 0) throw new Error(`unsupported PNG: depth ${depth}, interlace ${body[12]}`);
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour!] ?? 0;
      if (!channels) throw new Error(`unsupported PNG colour type ${colour}`);
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const rows = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? rows[y * stride + x - channels]! : 0;
      const up = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const corner = y > 0 && x >= channels ? rows[(y - 1) * stride + x - channels]! : 0;
      let value = line[x]!;
      if (filter === 1) value += left;
      else if (filter === 2) value += up;
      else if (filter === 3) value += Math.floor((left + up) / 2);
      else if (filter === 4) {
        const p = left + up - corner;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - corner);
        value += pa <= pb && pa <= pc ? left : pb <= pc ? up : corner;
      }
      rows[y * stride + x] = value & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    pixels[i] = channels < 3 ? rows[p]! : Math.round(0.299 * rows[p]! + 0.587 * rows[p + 1]! + 0.114 * rows[p + 2]!);
  }
  return { width, height, pixels };
}

/** Every page of a PDF as a grey image `width` pixels wide (poppler's pdftoppm, PGM). */
export function greyPagesOfPdf(pdf: string, width: number): Grey[] {
  const out = execFileSync('pdftoppm', ['-gray', '-scale-to-x', String(width), '-scale-to-y', '-1', pdf], {
    maxBuffer: 1 << 30,
  });
  const pages: Grey[] = [];
  let at = 0;
  while (at < out.length) {
    // P5\n<w> <h>\n255\n<bytes>
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.toString('latin1', at, at + 40));
    if (!header) break;
    const w = Number(header[1]);
    const h = Number(header[2]);
    const start = at + header[0].length;
    pages.push({ width: w, height: h, pixels: new Uint8Array(out.subarray(start, start + w * h)) });
    at = start + w * h;
  }
  return pages;
}

/** An image averaged down to `w`×`h` cells. */
export function shrink(image: Grey, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const counts = new Float64Array(w * h);
  for (let y = 0; y < image.height; y++) {
    const cy = Math.min(h - 1, Math.floor((y * h) / image.height));
    for (let x = 0; x < image.width; x++) {
      const cx = Math.min(w - 1, Math.floor((x * w) / image.width));
      out[cy * w + cx]! += image.pixels[y * image.width + x]!;
      counts[cy * w + cx]! += 1;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / Math.max(1, counts[i]!);
  return out;
}

/**
 * How unlike two pictures of a slide are, by where they have something drawn. Each is averaged
 * down to 32×18 grey cells (a cell is 40 pixels of a 1280×720 slide); a cell is inked when it is
 * more than 6 grey levels from the slide's background (the most common cell value of `a`). An
 * inked cell of one picture is matched when the other has ink in it or a cell next to it, so a
 * word set in another font or wrapped a little differently still matches. The difference is
 * 1 − F1 of the two pictures' matched ink, plus the mean grey difference of all cells (a wrong
 * background or colour): 0 when they match, 1 and more when one is blank and the other is not.
 */
export function slideDifference(a: Grey, b: Grey): number {
  const w = 32;
  const h = 18;
  const x = shrink(a, w, h);
  const y = shrink(b, w, h);
  const counts = new Map<number, number>();
  for (const v of x) counts.set(Math.round(v / 4), (counts.get(Math.round(v / 4)) ?? 0) + 1);
  const background = [...counts.entries()].sort((p, q) => q[1] - p[1])[0]![0] * 4;
  const inked = (cells: Float64Array) => Array.from(cells, (v) => Math.abs(v - background) > 6);
  const p = inked(x);
  const q = inked(y);
  const near = (map: boolean[], i: number): boolean => {
    const cx = i % w;
    const cy = Math.floor(i / w);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = cx + dx;
        const ny = cy + dy;
        if (nx >= 0 && ny >= 0 && nx < w && ny < h && map[ny * w + nx]) return true;
      }
    return false;
  };
  const matched = (from: boolean[], to: boolean[]) => {
    let all = 0;
    let hit = 0;
    from.forEach((on, i) => {
      if (!on) return;
      all++;
      if (near(to, i)) hit++;
    });
    return all ? hit / all : 1;
  };
  const recall = matched(p, q);
  const precision = matched(q, p);
  const f1 = recall + precision ? (2 * recall * precision) / (recall + precision) : 0;
  let grey = 0;
  for (let i = 0; i < x.length; i++) grey += Math.abs(x[i]! - y[i]!);
  return 1 - f1 + grey / x.length / 255;
}

export function greyOfPngFile(path: string): Grey {
  return greyOfPng(readFileSync(path));
}
