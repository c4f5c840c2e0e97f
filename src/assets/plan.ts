import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { DeckError, type SourcePos } from '../errors.js';
import type { Deck } from '../model/types.js';
import { reservedInDeck, reservedNames, runtimeDir, templateAssetDirs } from '../deck-layout.js';
import type { Template } from '../render/load-template.js';
import { browserUrl } from './resolve.js';

/** One file to copy into a built deck folder. */
export interface FileCopy {
  /** Absolute source path. */
  from: string;
  /** Destination relative to the deck's output folder, with `/` separators. */
  to: string;
  /** Where the deck asked for it, for deck images. */
  pos?: SourcePos;
  /** The file that was checked (set by checkCopies): the copy must read that same file. */
  checked?: { real: string; dev: number; ino: number };
  /** What is published in place of the file's bytes: a drawing rewritten (src/assets/publish.ts). */
  content?: Buffer;
}

interface AssetPlanInput {
  deck: Deck;
  /** Folder of the deck file: images must stay inside it. */
  deckDir: string;
  /** The deck's template with everything it extends: each one's assets are copied. */
  template: Template;
  /** Folder of the installed reveal.js package. */
  revealDir: string;
}

/** Only the Reveal.js files a deck needs: core and its stylesheet (the notes plugin is written, see speaker-view.ts). */
const revealFiles = ['dist/reveal.js', 'dist/reveal.css'];

/**
 * Decides which files a built deck needs and where they go. Pure: it reads nothing, so
 * missing files are found by the pipeline before anything is written.
 */
export function planAssets(input: AssetPlanInput): FileCopy[] {
  const copies = new Map<string, FileCopy>();
  const add = (copy: FileCopy): void => {
    if (!copies.has(copy.to)) copies.set(copy.to, copy);
  };
  for (const file of revealFiles) {
    add({ from: join(input.revealDir, file), to: `${runtimeDir}/reveal/${file.replace(/^dist\//, '')}` });
  }
  const dirs = templateAssetDirs(input.template.chain);
  input.template.chain.forEach((layer, i) => {
    for (const file of layer.assets) add({ from: join(layer.dir, 'assets', file), to: `${dirs[i]}/${file}` });
  });
  const unsafe = input.deck.options.html === 'unsafe';
  for (const ref of input.deck.assets) {
    const local = copiedPath(ref.url, ref.pos, unsafe);
    if (local === null) continue;
    const from = resolve(input.deckDir, local);
    const to = relative(input.deckDir, from);
    if (to === '' || to.startsWith('..') || isAbsolute(to) || isAbsolute(local)) {
      throw new DeckError('ASSET_OUTSIDE', `"${ref.url}" is outside the deck's folder`, {
        pos: ref.pos,
        hint: 'keep images in the folder of the deck file (or below it) so the built deck stays self-contained',
      });
    }
    const dest = to.split(sep).join('/');
    if (reservedInDeck(dest, input.deck.name)) {
      throw new DeckError('ASSET_OUTSIDE', `"${ref.url}" uses a name Lectern reserves for the built deck`, {
        pos: ref.pos,
        hint: `rename it: ${reservedNames(input.deck.name)} are Lectern's`,
      });
    }
    add({ from, to: dest, pos: ref.pos });
  }
  return [...copies.values()];
}

/** The file path a reference names, or null for references that need no file. */
function copiedPath(url: string, pos: SourcePos, unsafe: boolean): string | null {
  // As the browser reads a URL, so `ht<TAB>tp://…` is the http URL it will load.
  const value = browserUrl(url);
  if (value === '' || value.startsWith('#') || /^data:/i.test(value)) return null;
  if (/^file:/i.test(value) || value.includes('\\')) {
    throw new DeckError('ASSET_OUTSIDE', `"${url}" is not a path inside the deck's folder`, {
      pos,
      hint: 'refer to images by a relative path with forward slashes, such as images/chart.png',
    });
  }
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(value)) {
    if (unsafe) return null;
    throw new DeckError('ASSET_REMOTE', `"${url}" would be loaded from the network`, {
      pos,
      hint: 'download the file into the deck folder and link it by a relative path, so the deck works offline',
    });
  }
  const path = value.replace(/[?#].*$/, '');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  return normalize(decoded);
}
