#!/usr/bin/env node
// `npm run compile`'s second half: the command line runs from lib/bundle/, the compiled stages and
// the libraries they import joined into a few files. Loading a few large files instead of some
// three hundred small ones (the schema library alone is ninety-five) is most of a small deck's
// build, so a bundle starts in about half the time. Code that loads on demand stays on demand:
// each dynamic import becomes a chunk of its own (the browser driver is one, loaded when a browser
// is: that saves it a tenth of a second a run), and the packages Lectern resolves at run time
// (KaTeX, mermaid, highlight.js, css-tree, axe-core, the browser installer) stay in node_modules.
// lib/bundle/ sits two folders below the project like every stage folder, so paths a stage
// builds from its own location (templates/, scaffold/, package.json) are the same in the bundle.
import { rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'lib', 'bundle');
/**
 * The browser installer, which `npm run setup` and `lectern doctor` run as it ships, and which the
 * bundled driver starts browsers through: package.json asks for the very version the driver pins.
 */
const external = new Set(['@puppeteer/browsers']);
const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

rmSync(outDir, { recursive: true, force: true });
const bundle = await rolldown({
  input: { main: join(root, 'lib', 'cli', 'main.js') },
  platform: 'node',
  external: (id) => builtins.has(id) || external.has(id) || [...external].some((name) => id.startsWith(`${name}/`)),
  // A library's unused-variable and eval notices are not Lectern's to act on.
  logLevel: 'silent',
});
// CommonJS, so that bin/lectern.js can hand V8 its code cache for each file (src/cli/code-cache.ts);
// a dynamic import becomes a require() when it runs, so what loads on demand still does.
await bundle.write({
  dir: outDir,
  format: 'cjs',
  dynamicImportInCjs: false,
  entryFileNames: '[name].cjs',
  chunkFileNames: '[name]-[hash].cjs',
});
await bundle.close();
