import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import { DeckError, type ErrorCode, type Finding } from '../errors.js';
import type { AssetRef } from '../model/types.js';
import { projectFilesDir, remoteFilesDir, reservedInDeck, reservedNames } from '../deck-layout.js';
import type { FileCopy } from './plan.js';
import { cachedRemote, sniffMedia, type RemoteCache } from './remote-cache.js';

/**
 * What each file a deck's slides load becomes in the built deck: a copy of a file inside the
 * project (beside the deck, or elsewhere in the project under `_project/`), a downloaded copy of
 * a remote file (under `_remote/`), the remote URL itself (`remote: link`), or a placeholder
 * that names a file that is missing. Problems are collected, never thrown one by one.
 */

type RemotePolicy = 'download' | 'link' | 'error';

export interface ResolveContext {
  deckDir: string;
  projectDir: string;
  remote: RemotePolicy;
  /** `html: unsafe`: remote files are the author's business, and are linked. */
  unsafe: boolean;
  cache: RemoteCache;
  /** The kinds of file the references may name, by name (default: image, video and audio). */
  kinds?: RegExp;
  /** The deck's name: its PDF's name is Lectern's in its folder. */
  deckName?: string;
}

export interface ResolvedAssets {
  /** The URL a reference becomes in the built deck; null for a placeholder. */
  rewrite: (url: string) => string | null;
  /** Remote URLs the deck keeps as links (`remote: link`). */
  remoteKept: Set<string>;
  copies: FileCopy[];
  warnings: Finding[];
  errors: DeckError[];
  /** Remote files to fetch before the deck is built again. */
  pending: string[];
}

/** As the browser reads a URL: tabs and newlines dropped, spaces and C0 controls trimmed. */
export function browserUrl(url: string): string {
  return url.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

function isRemote(url: string): boolean {
  return /^(https?:)?\/\//i.test(browserUrl(url));
}

export function resolveAssets(refs: AssetRef[], ctx: ResolveContext): ResolvedAssets {
  const map = new Map<string, string | null>();
  const remoteKept = new Set<string>();
  const copies = new Map<string, FileCopy>();
  const warnings: Finding[] = [];
  const errors: DeckError[] = [];
  const pending = new Set<string>();
  const projectRoot = realOrSelf(ctx.projectDir);
  const realDeckDir = realOrSelf(ctx.deckDir);

  const missing = (ref: AssetRef, message: string, hint: string) => {
    warnings.push({ code: 'ASSET_MISSING', message, pos: ref.pos, hint });
    map.set(ref.url, null);
  };
  // A refused file is an error at its reference; the slide shows nothing in its place.
  const refuse = (ref: AssetRef, code: ErrorCode, message: string, hint: string) => {
    errors.push(new DeckError(code, message, { pos: ref.pos, hint }));
    map.set(ref.url, null);
  };

  for (const ref of refs) {
    if (map.has(ref.url)) continue;
    const value = browserUrl(ref.url);
    if (value === '' || value.startsWith('#') || /^data:/i.test(value)) {
      map.set(ref.url, ref.url);
      continue;
    }
    if (/^file:/i.test(value) || value.includes('\\')) {
      refuse(
        ref,
        'ASSET_OUTSIDE',
        `"${ref.url}" is not a path inside the project`,
        'refer to images by a relative path with forward slashes, such as images/chart.png',
      );
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^https?:/i.test(value)) {
      refuse(
        ref,
        'ASSET_REMOTE',
        `"${ref.url}" is not a file the deck can load`,
        'use a relative path, or an http(s) URL Lectern can download',
      );
      continue;
    }
    if (isRemote(value)) {
      const policy = ctx.unsafe && ctx.remote === 'download' ? 'link' : ctx.remote;
      if (policy === 'error') {
        refuse(
          ref,
          'ASSET_REMOTE',
          `"${value}" would be loaded from the network`,
          'download it into the deck folder, or set `remote: download` to let Lectern fetch it at build time',
        );
      } else if (policy === 'link') {
        if (!ctx.unsafe)
          warnings.push({
            code: 'ASSET_REMOTE',
            message: `"${value}" stays a link: the deck needs the network to show it`,
            pos: ref.pos,
            hint: 'set `remote: download` (the default) to keep the deck offline',
          });
        remoteKept.add(ref.url);
        map.set(ref.url, ref.url);
      } else {
        const url = value.startsWith('//') ? `https:${value}` : value;
        const hit = cachedRemote(ctx.cache, url);
        if (hit === undefined) {
          pending.add(url);
          map.set(ref.url, null);
        } else if ('failed' in hit) {
          missing(
            ref,
            `"${url}" could not be downloaded (${hit.failed}); a placeholder is shown`,
            'check the URL, or download the file into the deck folder',
          );
        } else {
          const to = `${remoteFilesDir}/${hit.name}`;
          // The bytes checked are the bytes published: another build writing the shared cache
          // meanwhile changes nothing of this one.
          copies.set(to, { from: hit.path, to, pos: ref.pos, checked: hit.checked, content: hit.bytes });
          map.set(ref.url, to);
        }
      }
      continue;
    }
    const path = value.replace(/[?#].*$/, '');
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Kept as written.
    }
    // A root-absolute path (`/images/x.png`) is the site's root the deck was served from: the project.
    const rooted = decoded.startsWith('/') && !decoded.startsWith('//');
    const local = rooted ? normalize(`.${decoded}`) : normalize(decoded);
    const from = resolve(rooted ? ctx.projectDir : ctx.deckDir, local);
    const inProject = relative(ctx.projectDir, from);
    const outside = isAbsolute(local) || inProject === '' || inProject.startsWith('..') || isAbsolute(inProject);
    if (outside && !existsSync(from)) {
      // Nothing is there to refuse: a file the deck's own repository had, and this copy lacks.
      missing(
        ref,
        `image "${ref.url}" not found; a placeholder is shown`,
        `it would be outside the project (${ctx.projectDir}) anyway: keep images inside it`,
      );
      continue;
    }
    if (outside) {
      refuse(
        ref,
        'ASSET_OUTSIDE',
        `"${ref.url}" is outside the project`,
        `the project is the folder Lectern runs in (${ctx.projectDir}): keep images inside it, or run Lectern from a folder that holds them`,
      );
      continue;
    }
    if (!existsSync(from) || !statSync(from).isFile()) {
      missing(
        ref,
        `image "${ref.url}" not found; a placeholder is shown`,
        rooted
          ? `a path starting with / is looked up from the project's folder (${ctx.projectDir})`
          : `the path is relative to the deck file's folder (${ctx.deckDir})`,
      );
      continue;
    }
    const real = realpathSync(from);
    if (!within(real, projectRoot)) {
      refuse(
        ref,
        'ASSET_OUTSIDE',
        `"${ref.url}" links to a file outside the project`,
        'copy the file into the project instead of linking to it',
      );
      continue;
    }
    const inDeck = relative(ctx.deckDir, from);
    // Beside the deck by where the file really is, links followed: a link in the deck's folder
    // to the project's root does not make the project's files the deck's.
    const besideReal = within(real, realDeckDir);
    const beside = besideReal && !(inDeck.startsWith('..') || isAbsolute(inDeck));
    // What a slide loads is a media file, and nothing hidden travels (as written or as it
    // really is): a deck must not be able to publish a project's .env, .git or keys as an image.
    const hidden = (path: string) =>
      path.split(sep).some((part) => part.startsWith('.') && part !== '.' && part !== '..');
    // Media are known by their names or their bytes (an image without an extension is one; a
    // broken .png is still an image for `lectern check` to report); other kinds (stylesheets) by
    // their names.
    const kindOk = ctx.kinds
      ? ctx.kinds.test(inProject) && ctx.kinds.test(real)
      : (mediaName.test(inProject) && mediaName.test(real)) || isMediaFile(real);
    if (hidden(inProject) || hidden(relative(projectRoot, real)) || !kindOk) {
      refuse(
        ref,
        'ASSET_OUTSIDE',
        `"${shown(ref.url)}" is not an image, video or audio file the deck may carry`,
        'a slide loads image, video and audio files (by their names), and none from a hidden folder such as .git; link other files instead',
      );
      continue;
    }
    const to = beside
      ? inDeck.split(sep).join('/')
      : `${projectFilesDir}/${relative(projectRoot, real).split(sep).join('/')}`;
    if (
      reservedInDeck(to, ctx.deckName ?? '') ||
      to.startsWith(`${remoteFilesDir}/`) ||
      (beside && to.startsWith(`${projectFilesDir}/`))
    ) {
      refuse(
        ref,
        'ASSET_OUTSIDE',
        `"${ref.url}" uses a name Lectern reserves for the built deck`,
        `rename it: ${reservedNames(ctx.deckName ?? '').replace(' and ', ', ')}, ${projectFilesDir}/ and ${remoteFilesDir}/ are Lectern's`,
      );
      continue;
    }
    const stat = statSync(real);
    copies.set(to, { from, to, pos: ref.pos, checked: { real, dev: stat.dev, ino: stat.ino } });
    // Beside the deck, the reference stays as written (its query and fragment too).
    map.set(ref.url, beside && !rooted ? ref.url : `${to}${value.slice(path.length)}`);
  }
  return {
    rewrite: (url) => (map.has(url) ? map.get(url)! : url),
    remoteKept,
    copies: [...copies.values()],
    warnings,
    errors,
    pending: [...pending],
  };
}

/** A long reference shown in a message: its start. */
function shown(url: string): string {
  return url.length > 200 ? `${url.slice(0, 200)}…` : url;
}

/** Image, video, audio and subtitle files by name. */
const mediaName = /\.(png|jpe?g|gif|webp|avif|svg|bmp|ico|mp4|webm|ogv|ogg|mov|m4v|mp3|m4a|wav|oga|opus|flac|vtt)$/i;

/** Whether a file's first bytes are an image, video, audio or subtitle file's. */
function isMediaFile(path: string): boolean {
  const head = Buffer.alloc(4096);
  const fd = openSync(path, 'r');
  try {
    return sniffMedia(head.subarray(0, readSync(fd, head, 0, head.length, 0))) !== null;
  } finally {
    closeSync(fd);
  }
}

/** Whether a real path is the folder or inside it (the file system's root included). */
export function within(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
