#!/usr/bin/env node
// The import direction of src/, checked on every `npm test`: data flows one way through the
// stages, and a stage may import only itself, the stages before it and the leaf modules. Only the
// browser code imports puppeteer-core; only the CLI (and the process and browser plumbing) touches
// `process`. Prints each backwards import as file:line and exits 1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');

/** The stages in the order data flows; a stage may import any stage to its left. */
const order = [
  'config',
  'outline',
  'model',
  'render',
  'assets',
  'output',
  'browser',
  'check',
  'pdf',
  'png',
  'single',
  'pptx',
  'pipeline',
  'serve',
  'present',
  'scaffold',
  'cli',
  'index',
];
/** Modules every stage may import: they import nothing but each other. */
const leaves = new Set([
  'errors.ts',
  'html.ts',
  'suggest.ts',
  'processes.ts',
  'read-file.ts',
  'deck-layout.ts',
  'shown.ts',
  'static-files.ts',
  'text.ts',
  'timings.ts',
]);

/**
 * Imports against the flow that are known and being removed (issue 13): each names the file and
 * the module it may still import. A new one fails the check; fixing one means deleting its line.
 */
const knownBackwards = new Set([]);

const puppeteerOnly = 'browser';
const processAllowed = new Set(['cli/main.ts', 'cli/code-cache.ts', 'processes.ts', 'browser/launch.ts']);

function stageOf(file) {
  const rel = relative(src, file).split(sep);
  if (rel.length === 1) {
    if (leaves.has(rel[0])) return 'leaf';
    if (rel[0] === 'index.ts') return 'index';
    return 'unknown';
  }
  return order.includes(rel[0]) ? rel[0] : 'unknown';
}

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const problems = [];
const seen = new Set();
for (const file of files(src)) {
  const from = stageOf(file);
  const name = relative(src, file).split(sep).join('/');
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const at = `src/${name}:${i + 1}`;
    for (const m of line.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)'([^']+)'/g)) {
      const spec = m[1];
      if ((spec === 'puppeteer-core' || spec.startsWith('@puppeteer/')) && from !== puppeteerOnly)
        problems.push(`${at}: only src/${puppeteerOnly}/ imports ${spec}`);
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const to = stageOf(target);
      const targetName = relative(src, target).split(sep).join('/');
      if (to === 'leaf' || to === from) continue;
      if (from === 'leaf') {
        problems.push(`${at}: ${name} is a leaf module and may import only other leaves, not ${targetName}`);
        continue;
      }
      const backwards = to === 'unknown' || from === 'unknown' || order.indexOf(to) > order.indexOf(from);
      if (backwards && knownBackwards.has(`${name} -> ${targetName}`)) seen.add(`${name} -> ${targetName}`);
      if (backwards && !knownBackwards.has(`${name} -> ${targetName}`)) {
        problems.push(`${at}: ${from}/ imports ${targetName}, a later stage (${to}): data flows ${order.join(' → ')}`);
      }
    }
    if (
      /\bprocess\.(exit|argv|stdout|stderr|stdin|cwd|on|once|kill|exitCode)\b/.test(line) &&
      !processAllowed.has(name)
    ) {
      problems.push(`${at}: only the CLI touches \`process\` (${line.trim().slice(0, 60)})`);
    }
  });
}

// A fixed exception leaves the list too, so the list only ever shrinks.
for (const known of knownBackwards)
  if (!seen.has(known))
    problems.push(`scripts/check-imports.mjs: "${known}" is no longer imported: remove it from knownBackwards`);

if (problems.length > 0) {
  for (const p of problems) console.error(`${p}`);
  console.error(
    `check-imports: ${problems.length} import${problems.length === 1 ? '' : 's'} against the flow (see docs/architecture.md)`,
  );
  process.exit(1);
}
console.log(`check-imports: src/ imports follow the flow (${knownBackwards.size} known exceptions left)`);
