import { existsSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import { DeckError } from '../errors.js';
import type { FileCopy } from './plan.js';

/**
 * The filesystem check after planning: every file a deck asks for must exist, and no symlink
 * may lead out of the deck's folder. Runs before anything is written; records which file was
 * checked, so the copy made later reads that file or none.
 */
export function checkCopies(copies: FileCopy[], deckDir: string): void {
  const root = realpathSync(deckDir);
  for (const copy of copies) {
    if (!copy.pos) {
      if (!existsSync(copy.from)) {
        throw new DeckError('RUNTIME_MISSING', `Lectern's file ${copy.from} is missing`, { hint: 'run `npm run setup` to reinstall dependencies' });
      }
      continue;
    }
    if (!existsSync(copy.from) || !statSync(copy.from).isFile()) {
      throw new DeckError('ASSET_MISSING', `image "${copy.to}" not found`, {
        pos: copy.pos,
        hint: `the path is relative to the deck file's folder (${deckDir})`,
      });
    }
    const real = realpathSync(copy.from);
    if (real !== root && !real.startsWith(root + sep)) {
      throw new DeckError('ASSET_OUTSIDE', `"${copy.to}" links to a file outside the deck's folder`, {
        pos: copy.pos,
        hint: 'copy the file into the deck folder instead of linking to it',
      });
    }
    const stat = statSync(real);
    copy.checked = { real, dev: stat.dev, ino: stat.ino };
  }
}
