import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * `:shortcode:` emoji, by the names GitHub and Slack give them (emojibase's data), each as the
 * fully qualified emoji. Read once, the first time a deck names one.
 */
let table: Map<string, string> | undefined;

function load(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const read = (path: string): unknown => JSON.parse(readFileSync(require.resolve(path), 'utf8'));
  const emoji = new Map<string, string>();
  for (const entry of read('emojibase-data/en/compact.json') as { hexcode: string; unicode: string }[])
    emoji.set(entry.hexcode, entry.unicode);
  const names = new Map<string, string>();
  for (const set of ['github', 'iamcal']) {
    const codes = read(`emojibase-data/en/shortcodes/${set}.json`) as Record<string, string | string[]>;
    for (const [hexcode, value] of Object.entries(codes)) {
      const unicode =
        emoji.get(hexcode) ?? String.fromCodePoint(...hexcode.split('-').map((h) => Number.parseInt(h, 16)));
      for (const name of Array.isArray(value) ? value : [value]) if (!names.has(name)) names.set(name, unicode);
    }
  }
  return names;
}

/** The emoji a shortcode names (`rocket`, `+1`), or undefined. */
export function emojiFor(name: string): string | undefined {
  table ??= load();
  return table.get(name);
}
