import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
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
 */
export function requireBundle<T>(entry: string, cacheRoot: string | null): T {
  const bundleDir = dirname(entry);
  const dir = cacheRoot ? join(cacheRoot, `${process.version}-${process.arch}`, bundleId(entry)) : null;
  const compiled: { script: Script; file: string }[] = [];
  type Compile = (this: Module, content: string, filename: string) => unknown;
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const original = prototype._compile;
  prototype._compile = function (this: Module, content: string, filename: string) {
    if (!dir || dirname(filename) !== bundleDir) return original.call(this, content, filename);
    const file = join(dir, `${basename(filename)}.v8`);
    const cachedData = readOrNull(file);
    const script = new Script(Module.wrap(content), { filename, ...(cachedData ? { cachedData } : {}) });
    if (!cachedData || script.cachedDataRejected) compiled.push({ script, file });
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, bundleDir);
  };
  if (dir) process.on('exit', () => keep(dir, compiled));
  return createRequire(import.meta.url)(entry) as T;
}

/** The user's cache folder for Lectern's compiled code. */
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
    return readFileSync(file);
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
    mkdirSync(dir);
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
function keep(dir: string, compiled: { script: Script; file: string }[]): void {
  if (!compiled.length) return;
  try {
    makeFolders(dir);
    for (const { script, file } of compiled) {
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, script.createCachedData());
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
