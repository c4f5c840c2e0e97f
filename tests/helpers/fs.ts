import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { tempDir } from './temp.js';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** A fresh project folder with the given files (path -> content). */
export function makeProject(files: Record<string, string | Uint8Array>): string {
  const dir = tempDir('test');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

/** Every file below a folder, relative and sorted. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) visit(path);
      else out.push(relative(root, path));
    }
  };
  visit(root);
  return out.sort();
}

/** One hash over every file's path and bytes: equal hashes mean an unchanged folder. */
export function hashTree(root: string): string {
  const hash = createHash('sha256');
  for (const file of listFiles(root))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
