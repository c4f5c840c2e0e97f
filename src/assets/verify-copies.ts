import { closeSync, constants, existsSync, fstatSync, openSync, realpathSync, statSync } from 'node:fs';
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
        throw new DeckError('RUNTIME_MISSING', `Lectern's file ${copy.from} is missing`, {
          hint: 'run `npm run setup` to reinstall dependencies',
        });
      }
      // Lectern's own files and templates (code, whose links were checked when it was read).
      continue;
    }
    if (!existsSync(copy.from) || !statSync(copy.from).isFile()) {
      throw new DeckError('ASSET_MISSING', `image "${copy.to}" not found`, {
        pos: copy.pos,
        hint: `the path is relative to the deck file's folder (${deckDir})`,
      });
    }
    const real = realpathSync(copy.from);
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new DeckError('ASSET_OUTSIDE', `"${copy.to}" links to a file outside the deck's folder`, {
        pos: copy.pos,
        hint: 'copy the file into the deck folder instead of linking to it',
      });
    }
    const stat = statSync(real);
    copy.checked = { real, dev: stat.dev, ino: stat.ino };
  }
}

/**
 * Opens a deck file for reading as the file that was checked: without following a link, and
 * refused if it is no longer the same file (swapped for a symlink, or its folder for one, since
 * the check). Hard links are the same file, and pass. Returns the descriptor; the caller closes it.
 */
export function openChecked(copy: FileCopy): number {
  const { real, dev, ino } = copy.checked!;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw changed(copy, err);
  }
  const stat = fstatSync(fd);
  if (!stat.isFile() || stat.dev !== dev || stat.ino !== ino) {
    closeSync(fd);
    throw changed(copy);
  }
  return fd;
}

function changed(copy: FileCopy, cause?: unknown): DeckError {
  return new DeckError('ASSET_CHANGED', `"${copy.to}" changed while the build ran (replaced, or moved behind a link)`, {
    pos: copy.pos ?? { file: copy.from },
    hint: 'nothing was written; run the build again once the deck folder is settled',
    cause,
  });
}
