import { describe, expect, it } from 'vitest';
import { type Grey, slideDifference } from '../helpers/pixels.js';

/** A 1280×720 grey slide: background 240, with dark boxes where `boxes` say (x, y, w, h). */
function slide(boxes: [number, number, number, number][], background = 240): Grey {
  const width = 320;
  const height = 180;
  const pixels = new Uint8Array(width * height).fill(background);
  for (const [x, y, w, h] of boxes)
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) pixels[j * width + i] = 30;
  return { width, height, pixels };
}

describe('the slide difference the PowerPoint tests hold slides to', () => {
  const title: [number, number, number, number] = [10, 10, 200, 20];
  const lines: [number, number, number, number][] = [0, 1, 2].map((k) => [20, 60 + k * 25, 250, 10]);
  const table: [number, number, number, number] = [20, 140, 280, 30];

  it('is 0 for the same slide, and small for text a little wider or lower', () => {
    expect(slideDifference(slide([title, ...lines]), slide([title, ...lines]))).toBe(0);
    const moved = lines.map(([x, y, w, h]) => [x, y + 3, w + 12, h] as [number, number, number, number]);
    expect(slideDifference(slide([title, ...lines]), slide([title, ...moved]))).toBeLessThan(0.15);
  });

  it("is over the tests' limit (0.35) for a blank slide, a missing table or block, and a wrong background", () => {
    const full = slide([title, ...lines, table]);
    expect(slideDifference(full, slide([]))).toBeGreaterThan(1);
    expect(slideDifference(full, slide([title]))).toBeGreaterThan(0.35);
    expect(slideDifference(full, slide([title, table]))).toBeGreaterThan(0.35);
    expect(slideDifference(full, slide([title, ...lines]))).toBeGreaterThan(0.35);
    expect(slideDifference(full, slide([title, ...lines, table], 60))).toBeGreaterThan(0.35);
  });
});
