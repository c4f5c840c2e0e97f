import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { Script } from 'node:vm';

/**
 * Loads the command line's bundle (lib/bundle/, scripts/bundle.mjs) with V8's code cache: the
 * first run of a Lectern build compiles the bundle's files as Node always does and, as it exits,
 * keeps what V8 compiled (every function the run used, not only the top level) in the user's cache
 * folder; later runs hand that back to V8 instead of parsing a megabyte of JavaScript again. A
 * cache V8 does not accept (another Node, other flags, a damaged file) is only slower: the file is
 * compiled from its source and the cache written again. Nothing here changes what runs.
 *
 * Kept under `<cache>/lectern/code/<node version>-<arch>/<bundle id>/`, the bundle id being a
 * hash of its entry file (which names every other file by the hash of its content); a folder of
 * another bundle for the same Node, untouched for a day, is removed when a new one is written.
 *
 * What V8 is handed is code it runs, so the cache is used only where no one else can write:
 * every folder from `<cache>/lectern` down, and each file, must be a real folder or file (not a
 * link) owned by this user and writable by no group or other user; folders are made 0700 and
 * files 0600. A cache that fails this is no cache: the run compiles, and writes nothing there.
 *
 * V8 checks little of what it is handed (a header, the source's length), and damaged bytes past
 * the header can crash it; so each file starts with a SHA-256 of its source file and its data,
 * and is handed to V8 only when both still match: a damaged file, or a cache of a bundle file
 * changed since, is compiled past and written again. The Node flags of the run (execArgv and
 * NODE_OPTIONS, which decide whether V8 takes a cache) are part of the folder's name.
 */
export function requireBundle<T>(entry: string, cacheRoot: string | null): T {
  const bundleDir = dirname(entry);
  const dir = cacheRoot ? join(cacheRoot, nodeKey(), bundleId(entry)) : null;
  const compiled: { script: Script; file: string; source: Buffer }[] = [];
  // The user's cache folder itself: every folder below it is checked.
  const base = cacheRoot ? dirname(dirname(cacheRoot)) : null;
  const trusted = Boolean(dir && base && ownChain(base, dir));
  type Compile = (this: Module, content: string, filename: string) => unknown;
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const original = prototype._compile;
  prototype._compile = function (this: Module, content: string, filename: string) {
    if (!dir || dirname(filename) !== bundleDir) return original.call(this, content, filename);
    const file = join(dir, `${basename(filename)}.v8`);
    const source = sourceDigest(content);
    const cachedData = trusted ? readCache(file, source) : null;
    const script = new Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) compiled.push({ script, file, source });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, bundleDir);
  };
  if (dir && base) process.on('exit', () => keep(base, dir, compiled, trusted));
  return createRequire(import.meta.url)(entry) as T;
}

/** The user's cache folder for Lectern's compiled code (`<cache>/lectern/code`). */
export function codeCacheRoot(env: NodeJS.ProcessEnv): string {
  // A relative folder is ignored, as the XDG rules say: it would put the cache in whatever
  // project the command runs in, and trust files that project ships.
  const given = process.platform === 'win32' ? env.LOCALAPPDATA : env.XDG_CACHE_HOME;
  const base =
    given && isAbsolute(given)
      ? given
      : process.platform === 'win32'
        ? join(homedir(), 'AppData', 'Local')
        : join(homedir(), '.cache');
  return join(base, 'lectern', 'code');
}

/** The Node, its V8, and the flags that decide whether V8 takes a cache. */
function nodeKey(): string {
  const flags = createHash('sha256')
    .update(`${process.versions.v8}\0${process.execArgv.join('\0')}\0${process.env.NODE_OPTIONS ?? ''}`)
    .digest('hex')
    .slice(0, 8);
  return `${process.version}-${process.arch}-${flags}`;
}

function bundleId(entry: string): string {
  return createHash('sha256').update(readFileSync(entry)).digest('hex').slice(0, 16);
}

function sourceDigest(content: string): Buffer {
  return createHash('sha256').update(content).digest();
}

/** The check a cache file starts with: a SHA-256 of its source file's digest and its data. */
function seal(source: Buffer, data: Buffer): Buffer {
  return createHash('sha256').update(source).update(data).digest();
}

/** No single file of the bundle compiles to more than this; a larger one is not read. */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
const SEAL_BYTES = 32;

/** A cache file's data if it is this user's alone, whole, and made from this very source. */
function readCache(file: string, source: Buffer): Buffer | null {
  try {
    const stat = lstatOrNull(file);
    if (!owned(stat, false) || stat.size > MAX_CACHE_BYTES) return null;
    const bytes = readFileSync(file);
    if (bytes.length <= SEAL_BYTES) return null;
    const data = bytes.subarray(SEAL_BYTES);
    return seal(source, data).equals(bytes.subarray(0, SEAL_BYTES)) ? data : null;
  } catch {
    return null;
  }
}

/**
 * Whether what a path holds is a real folder (or file) of this user's that no one else may write.
 * Where Node has no user ids (Windows), the per-user cache folder is taken as it is.
 */
function owned(stat: Stats | null, folder: boolean): stat is Stats {
  if (!stat || (folder ? !stat.isDirectory() : !stat.isFile())) return false;
  if (!process.getuid) return true;
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/**
 * Whether every folder from `from` (exclusive: the user's cache folder, `lectern` below it being
 * the first checked) down to `dir` is this user's alone. Folders not made yet pass: they will be
 * made 0700, and checked again before anything is written.
 */
function ownChain(from: string, dir: string): boolean {
  const below = relative(from, dir).split(sep);
  let path = from;
  for (const part of below) {
    path = join(path, part);
    const stat = lstatOrNull(path);
    if (!stat) return true;
    if (!owned(stat, true)) return false;
  }
  return true;
}

/** What is at a path itself (a link is not followed); null when nothing is. */
function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/**
 * Creates a folder and those above it one level at a time, each only once: Node's recursive
 * mkdir can spin for ever under a path it cannot create (seen under /proc), and a cache folder
 * comes from the environment.
 */
function makeFolders(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && !isFolder(parent)) makeFolders(parent);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const HOUR = 3600_000;

/**
 * Writes what V8 compiled, each file whole or not at all and each on its own; marks the folders
 * in use; removes temp files a killed run left, and the folders of other bundles (a day unused)
 * and of other Nodes (a week unused).
 */
function keep(
  from: string,
  dir: string,
  compiled: { script: Script; file: string; source: Buffer }[],
  trusted: boolean,
): void {
  try {
    if (!compiled.length) {
      // A cache in use is marked so, at most once an hour, so that pruning never takes it.
      if (trusted) for (const folder of [dir, dirname(dir)]) touchIfOlder(folder, HOUR);
      return;
    }
    // Checked before a folder is made (nothing is made inside another's folder) and after.
    if (!ownChain(from, dir)) return;
    makeFolders(dir);
    if (!ownChain(from, dir)) return;
    for (const { script, file, source } of compiled) {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        const data = script.createCachedData();
        writeFileSync(temp, Buffer.concat([seal(source, data), data]), { mode: 0o600, flag: 'wx' });
        renameSync(temp, file);
      } catch {
        rmQuietly(temp);
      }
    }
    for (const folder of [dir, dirname(dir)]) touchIfOlder(folder, 0);
    prune(dir, (name) => name.endsWith('.tmp'), HOUR);
    prune(dirname(dir), (name) => name !== basename(dir), 24 * HOUR);
    prune(dirname(dirname(dir)), (name) => name !== basename(dirname(dir)), 7 * 24 * HOUR);
  } catch {
    // A cache that cannot be written only means the next run compiles again.
  }
}

/** Removes the entries of a folder that match and were last changed longer ago than `age`. */
function prune(folder: string, match: (name: string) => boolean, age: number): void {
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!match(name)) continue;
    const path = join(folder, name);
    try {
      if (lstatSync(path).mtimeMs < Date.now() - age) rmSync(path, { recursive: true, force: true });
    } catch {
      // One entry that cannot be read or removed does not stop the others.
    }
  }
}

function touchIfOlder(folder: string, age: number): void {
  try {
    if (statSync(folder).mtimeMs < Date.now() - age) utimesSync(folder, new Date(), new Date());
  } catch {
    // Only pruning reads the time.
  }
}

function rmQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Left for the next prune.
  }
}
