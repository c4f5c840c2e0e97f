import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
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
 */
export function requireBundle<T>(entry: string, cacheRoot: string | null): T {
  const bundleDir = dirname(entry);
  const dir = cacheRoot ? join(cacheRoot, `${process.version}-${process.arch}`, bundleId(entry)) : null;
  const compiled: { script: Script; file: string }[] = [];
  // The user's cache folder itself: every folder below it is checked.
  const base = cacheRoot ? dirname(dirname(cacheRoot)) : null;
  const trusted = Boolean(dir && base && ownChain(base, dir));
  type Compile = (this: Module, content: string, filename: string) => unknown;
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const original = prototype._compile;
  prototype._compile = function (this: Module, content: string, filename: string) {
    if (!dir || dirname(filename) !== bundleDir) return original.call(this, content, filename);
    const file = join(dir, `${basename(filename)}.v8`);
    const cachedData = trusted ? readOrNull(file) : null;
    const script = new Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) compiled.push({ script, file });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, bundleDir);
  };
  if (dir && base) process.on('exit', () => keep(base, dir, compiled));
  return createRequire(import.meta.url)(entry) as T;
}

/** The user's cache folder for Lectern's compiled code (`<cache>/lectern/code`). */
export function codeCacheRoot(env: NodeJS.ProcessEnv): string {
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'lectern', 'code');
}

function bundleId(entry: string): string {
  return createHash('sha256').update(readFileSync(entry)).digest('hex').slice(0, 16);
}

function readOrNull(file: string): Buffer | null {
  try {
    return ownPath(file, false) ? readFileSync(file) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a path is a real folder (or file) of this user's that no one else may write. Where Node
 * has no user ids (Windows), the per-user cache folder is taken as it is.
 */
function ownPath(path: string, folder: boolean): boolean {
  try {
    const stat = lstatSync(path);
    if (folder ? !stat.isDirectory() : !stat.isFile()) return false;
    if (!process.getuid) return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
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
    if (!existsSync(path) && !isLink(path)) return true;
    if (!ownPath(path, true)) return false;
  }
  return true;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
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

/** Writes what V8 compiled, each file whole or not at all; removes earlier bundles' folders. */
function keep(from: string, dir: string, compiled: { script: Script; file: string }[]): void {
  if (!compiled.length) return;
  try {
    // Checked before a folder is made (nothing is made inside another's folder) and after.
    if (!ownChain(from, dir)) return;
    makeFolders(dir);
    if (!ownChain(from, dir)) return;
    for (const { script, file } of compiled) {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
      renameSync(temp, file);
    }
    const versionDir = dirname(dir);
    const dayAgo = Date.now() - 24 * 3600_000;
    for (const other of readdirSync(versionDir)) {
      const path = join(versionDir, other);
      if (other !== basename(dir) && statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    }
  } catch {
    // A cache that cannot be written only means the next run compiles again.
  }
}
