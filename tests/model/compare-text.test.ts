import { describe, expect, it } from 'vitest';
import { compareText } from '../../src/text.js';

describe('the order of titles and file names', () => {
  it('goes by letters, accents, ligatures and case aside, with letters Unicode does not split among their base letters', () => {
    const titles = ['Zebra', 'Łódź', 'Øresund', 'Olive', 'Straße', 'Strazz', 'Æsop', 'Aesop', 'ﬁsh', 'fish', 'Ängste'];
    expect([...titles].sort(compareText)).toEqual([
      'Aesop',
      'Æsop',
      'Ängste',
      'fish',
      'ﬁsh',
      'Łódź',
      'Olive',
      'Øresund',
      'Straße',
      'Strazz',
      'Zebra',
    ]);
  });

  it('is a total order: equal only for the same text, whatever order the input came in', () => {
    const texts = ['é', 'e\u0301', 'E', 'e', 'É', '', 'ß', 'ss', 'SS', 'a\u{1F600}', 'a\uFFFD'];
    const once = [...texts].sort(compareText);
    expect([...texts].reverse().sort(compareText)).toEqual(once);
    for (const a of texts)
      for (const b of texts) {
        expect(Math.sign(compareText(a, b)) + Math.sign(compareText(b, a)), `${a} / ${b}`).toBe(0);
        expect(compareText(a, b) === 0).toBe(a === b);
      }
  });
});
