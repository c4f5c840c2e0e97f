import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { collect } from '../config/yaml-layer.js';
import { DeckError } from '../errors.js';
import type { AssetRef, Deck } from '../model/types.js';

/** What a local link of a deck points at, as the checks and the copying see it. */
export type LinkTarget = 'file' | 'deck' | 'folder' | 'missing' | 'outside';

/** The file path of a local link, or null for links elsewhere (other schemes, `//host`, anchors). */
export function linkedFilePath(url: string): string | null {
  if (url === '' || url.startsWith('#') || url.startsWith('//') || /^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
  const path = url.replace(/[?#].*$/, '');
  if (path === '') return null;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** What a local link of a deck in `deckDir` points at; each link is looked up once. */
export function linkTargets(deckDir: string): (link: string) => LinkTarget {
  const targets = new Map<string, LinkTarget>();
  return (link) => {
    if (!targets.has(link)) targets.set(link, findLinkTarget(link, deckDir));
    return targets.get(link)!;
  };
}

function findLinkTarget(link: string, deckDir: string): LinkTarget {
  // Built decks are siblings: `../other/` from this deck is the deck other.md beside it.
  const sibling = /^\.\.\/([^/]+)\/(index\.html)?$/.exec(link);
  if (sibling && existsSync(join(deckDir, `${sibling[1]}.md`))) return 'deck';
  const target = resolve(deckDir, link);
  const rel = relative(deckDir, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return 'outside';
  return existsSync(target) ? (statSync(target).isFile() ? 'file' : 'folder') : 'missing';
}

/**
 * The deck's own files its slides link to, which travel with it like its images: nothing
 * hidden. (What a safe deck publishes of them is src/assets/publish.ts's business; the links to
 * other places are the checks'.)
 */
export function linkedFiles(deck: Deck, target: (link: string) => LinkTarget): AssetRef[] {
  const linked = deck.links.filter((l) => {
    const path = linkedFilePath(l.url);
    return path !== null && !l.url.startsWith('/') && target(path) === 'file';
  });
  const refused: DeckError[] = [];
  for (const link of linked) {
    const path = linkedFilePath(link.url)!;
    if (path.split('/').some((part) => part.startsWith('.') && part !== '.' && part !== '..')) {
      refused.push(
        new DeckError('ASSET_OUTSIDE', `"${link.url}" is in a hidden folder or is a hidden file: it is not published`, {
          pos: link.pos,
          hint: 'move the file out of the hidden folder, or link to it some other way',
        }),
      );
    }
  }
  if (refused.length) throw collect(refused);
  return linked.map((l) => ({ url: linkedFilePath(l.url)!, pos: l.pos }));
}
